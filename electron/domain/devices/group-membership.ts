import type { DeviceRecord } from '../../store/records.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { UNKNOWN, evaluate, matches, type FieldReader } from '../query/evaluate.js';
import type { DeviceQuery } from '../query/parser.js';
import type { FleetIndex } from './fleet-index.js';
import { resolveNow, type MemberTest } from '../groups/fleet-resolution.js';

/** A device's reported or cloud property value by `name` or `component.name`. */
export type PropertyReader = (deviceId: string, path: string) => unknown;

export const SYSTEM_FIELDS = ['$id', '$displayName', '$template', '$simulated', '$provisioned', '$enabled', '$organizations'] as const;

/**
 * The devices matching a query as slices in listing order, through the fleet resolution both APIs' query groups
 * share: a fleet range whose shared attributes decide the query stays one range slice (a million devices in constant
 * time); only edited members, or every member for a query on per-device values, are visited.
 */
export function resolveMembers(query: DeviceQuery, index: FleetIndex, property: PropertyReader): DeviceSlice[] {
  return resolveNow(deviceQueryTest(query, property), index);
}

function deviceQueryTest(query: DeviceQuery, property: PropertyReader): MemberTest {
  return {
    shared: ({ fleet }) => (query.where === undefined ? true : evaluate(query.where, sharedReader(fleet.template, fleet.simulated))),
    particular: (view) => [...view.overrides.keys()],
    member: (view, n) => {
      const override = view.overrides.get(n);
      const { fleet } = view;
      return matches(query, override ? recordReader(override, property) : memberReader(fleet.prefix, n, fleet.template, fleet.simulated, property));
    },
    standalone: (record) => matches(query, recordReader(record, property)),
  };
}

function sharedReader(template: string, simulated: boolean): FieldReader {
  return (field) => {
    switch (field) {
      case '$template':
        return template;
      case '$simulated':
      case '$provisioned':
        return simulated;
      case '$enabled':
        return true;
      case '$organizations':
        return [];
      default:
        return UNKNOWN;
    }
  };
}

function memberReader(prefix: string, n: number, template: string, simulated: boolean, property: PropertyReader): FieldReader {
  const shared = sharedReader(template, simulated);
  return (field) => {
    const value = shared(field);
    if (value !== UNKNOWN) return value;
    const id = `${prefix}-${n}`;
    return field === '$id' || field === '$displayName' ? id : property(id, field);
  };
}

function recordReader(record: DeviceRecord, property: PropertyReader): FieldReader {
  return (field) => {
    switch (field) {
      case '$id':
        return record.id;
      case '$displayName':
        return record.displayName;
      case '$template':
        return record.template;
      case '$simulated':
        return record.simulated;
      case '$provisioned':
        return record.simulated || record.provisioned === true;
      case '$enabled':
        return record.enabled;
      case '$organizations':
        return record.organizations ?? [];
      default:
        return property(record.id, field);
    }
  };
}
