import { describe, expect, it } from 'vitest';
import { parseFleetQuery, QueryError, type IndexedThing } from '../../electron/domain/aws/fleet-query.js';

const thing = (thingName: string, attributes: Record<string, string> = {}, extra: Partial<IndexedThing> = {}): IndexedThing => ({
  thingName,
  thingId: `id-${thingName}`,
  thingGroupNames: [],
  attributes,
  ...extra,
});

const FLEET = [
  thing('pump-1', { color: 'red', rpm: '1200' }, { thingTypeName: 'pump', thingGroupNames: ['north'] }),
  thing('pump-2', { color: 'blue', rpm: '900' }, { thingTypeName: 'pump' }),
  thing('valve:a_1', { color: 'red' }, { thingGroupNames: ['north', 'south'] }),
  thing('meter-1', { rpm: 'fast' }),
];
const matching = (query: string) => FLEET.filter(parseFleetQuery(query)).map((t) => t.thingName);

describe('fleet-indexing queries over registry fields', () => {
  it('matches names, types, groups and attributes, with wildcards and quoted values', () => {
    expect(matching('thingName:pump*')).toEqual(['pump-1', 'pump-2']);
    expect(matching('thingName:valve:a_?')).toEqual(['valve:a_1']);
    expect(matching('attributes.color:red')).toEqual(['pump-1', 'valve:a_1']);
    expect(matching('attributes.color:"red"')).toEqual(['pump-1', 'valve:a_1']);
    expect(matching('thingTypeName:pump')).toEqual(['pump-1', 'pump-2']);
    expect(matching('thingGroupNames:south')).toEqual(['valve:a_1']);
    expect(matching('attributes.color:*')).toEqual(['pump-1', 'pump-2', 'valve:a_1']);
  });

  it('combines terms with AND (also implicit), OR, NOT and parentheses', () => {
    expect(matching('attributes.color:red AND thingTypeName:pump')).toEqual(['pump-1']);
    expect(matching('attributes.color:red thingTypeName:pump')).toEqual(['pump-1']);
    expect(matching('thingName:meter* OR attributes.color:blue')).toEqual(['pump-2', 'meter-1']);
    expect(matching('NOT attributes.color:red')).toEqual(['pump-2', 'meter-1']);
    expect(matching('(thingName:pump-1 OR thingName:pump-2) AND NOT attributes.color:blue')).toEqual(['pump-1']);
    expect(matching('thingName:pump-1 OR thingName:pump-2 AND attributes.color:red')).toEqual(['pump-1']);
  });

  it('compares numbers with ranges and operators, ignoring values that are not numbers', () => {
    expect(matching('attributes.rpm:[900 TO 1200]')).toEqual(['pump-1', 'pump-2']);
    expect(matching('attributes.rpm:{900 TO 1200]')).toEqual(['pump-1']);
    expect(matching('attributes.rpm:[1000 TO *]')).toEqual(['pump-1']);
    expect(matching('attributes.rpm>900')).toEqual(['pump-1']);
    expect(matching('attributes.rpm <= 900')).toEqual(['pump-2']);
  });

  it('refuses what does not parse and fields it does not index, saying where', () => {
    expect(() => parseFleetQuery('thingName:pump* AND')).toThrow(QueryError);
    expect(() => parseFleetQuery('(thingName:a')).toThrow(/Expected "\)"|ends/);
    expect(() => parseFleetQuery('shadow.reported.x:1')).toThrow(/not indexed/);
    expect(() => parseFleetQuery('attributes.rpm:[a TO 3]')).toThrow(/number at position/);
    expect(() => parseFleetQuery('pump')).toThrow(/field:value/);
  });
});
