import { describe, expect, it } from 'vitest';
import { DomainError } from '../../electron/domain/errors.js';
import { UNKNOWN, evaluate, matches } from '../../electron/domain/query/evaluate.js';
import { parseListFilter } from '../../electron/domain/query/list-filter.js';
import { parseDeviceQuery } from '../../electron/domain/query/parser.js';

const device: Record<string, unknown> = {
  $id: 'therm-12',
  $displayName: 'Thermostat 12',
  $template: 'dtmi:contoso:thermostat;1',
  $simulated: true,
  $provisioned: true,
  $organizations: ['seattle'],
  targetTemperature: 21.5,
  'settings.fanSpeed': 3,
  firmware: '1.4.2',
};
const read = (field: string) => device[field];
const select = (where: string) => matches(parseDeviceQuery(`SELECT * FROM devices WHERE ${where}`), read);

function errorOf(filter: string): string {
  try {
    parseDeviceQuery(filter);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('InvalidInput');
    return (error as Error).message;
  }
  throw new Error(`"${filter}" parsed without an error`);
}

describe('the device group filter language', () => {
  it('parses the spec example filter and matches on $template and $provisioned', () => {
    const query = parseDeviceQuery('SELECT * FROM devices WHERE $template = "dtmi:contoso:thermostat;1" AND $provisioned = true');
    expect(matches(query, read)).toBe(true);
    expect(matches(query, (field) => (field === '$provisioned' ? false : device[field]))).toBe(false);
  });

  it('treats a query without WHERE as every device, with keywords in any case', () => {
    expect(matches(parseDeviceQuery('select * from Devices'), () => undefined)).toBe(true);
  });

  it.each([
    ['$simulated = true', true],
    ['$simulated != true', false],
    ["$id = 'therm-12'", true],
    ['targetTemperature > 21', true],
    ['targetTemperature >= 21.5 AND targetTemperature <= 21.5', true],
    ['targetTemperature < 20', false],
    ['targetTemperature <> 21.5', false],
    ['settings.fanSpeed = 3', true],
    ['firmware < "1.5"', true],
    ['contains($displayName, "stat")', true],
    ['STARTSWITH($id, "therm-")', true],
    ['starts_with($id, "pump-")', false],
    ['$organizations = "seattle"', true],
    ['contains($organizations, "redmond")', false],
    ['$id IN ["therm-11", "therm-12"]', true],
    ['missingProperty = 1', false],
    ['targetTemperature = "21.5"', false],
    ['$simulated = false OR targetTemperature > 20 AND firmware = "1.4.2"', true],
    ['($simulated = false OR targetTemperature > 20) AND firmware = "0"', false],
    ['$displayName = "Thermostat \\"12\\""', false],
  ])('%s -> %s', (where, expected) => {
    expect(select(where)).toBe(expected);
  });

  it('decides a condition from known fields and answers undefined when it needs an unknown one', () => {
    const shared = (field: string) => (field === '$template' ? 'dtmi:a;1' : UNKNOWN);
    const where = (text: string) => parseDeviceQuery(`SELECT * FROM devices WHERE ${text}`).where!;
    expect(evaluate(where('$template = "dtmi:b;1" AND startswith($id, "x")'), shared)).toBe(false);
    expect(evaluate(where('$template = "dtmi:a;1" OR startswith($id, "x")'), shared)).toBe(true);
    expect(evaluate(where('$template = "dtmi:a;1" AND startswith($id, "x")'), shared)).toBeUndefined();
  });

  it.each([
    ['SELECT * FROM devices WHER $simulated = true', 'Unexpected token "WHER" at position 23; expected WHERE.'],
    ['SELECT id FROM devices', 'Unexpected token "id" at position 8; expected "*".'],
    ['SELECT * FROM things', 'Unexpected token "things" at position 15; expected DEVICES.'],
    ['SELECT * FROM devices WHERE', 'End of filter at position 28; expected a device attribute such as $template or a property name.'],
    ['SELECT * FROM devices WHERE $simulated true', 'Unexpected token "true" at position 40; expected a comparison operator (=, !=, <, >, <=, >=) or IN.'],
    ['SELECT * FROM devices WHERE $id = therm', 'Unexpected token "therm" at position 35; expected a string, number or boolean value.'],
    ['SELECT * FROM devices WHERE ($simulated = true', 'End of filter at position 47; expected ")".'],
    ['SELECT * FROM devices WHERE $simulated = true $id = "a"', 'Unexpected token "$id" at position 47; expected AND, OR or the end of the filter.'],
    ['SELECT * FROM devices WHERE $id = "abc', 'Unterminated string starting at position 35.'],
    ['SELECT * FROM devices WHERE $id # "a"', 'Unexpected character "#" at position 33.'],
    ['SELECT * FROM devices WHERE contains($id "a")', 'Unexpected token "a" at position 42; expected ",".'],
    // Object.prototype's members are no functions of the language.
    ['SELECT * FROM devices WHERE constructor($id, "a")', 'Unexpected token "(" at position 40; expected a comparison operator (=, !=, <, >, <=, >=) or IN.'],
  ])('rejects %s', (filter, message) => {
    expect(errorOf(filter)).toBe(message);
  });

  it('refuses Object.prototype member names as comparison operators of the list filter', () => {
    for (const operator of ['constructor', '__proto__']) {
      expect(() => parseListFilter(`displayName ${operator} 'x'`, { displayName: '$displayName' })).toThrow(
        `Unexpected "${operator}" at position 13; expected a comparison operator (eq, ne, lt, le, gt, ge).`,
      );
    }
  });
});
