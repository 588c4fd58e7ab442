import type { DeviceRecord } from '../../store/records.js';
import type { DeviceSlice } from '../fleet-executor.js';
import { UNKNOWN, evaluate, matches, type FieldReader } from '../query/evaluate.js';
import type { DeviceQuery } from '../query/parser.js';
import type { FleetIndex } from './fleet-index.js';
import type { FleetView } from './fleet-view.js';

/** A device's reported or cloud property value by `name` or `component.name`. */
export type PropertyReader = (deviceId: string, path: string) => unknown;

export const SYSTEM_FIELDS = ['$id', '$displayName', '$template', '$simulated', '$provisioned', '$enabled', '$organizations'] as const;

/**
 * The devices matching a query as slices in listing order. A fleet range whose shared attributes decide the query
 * stays one range slice (a million devices in constant time); only ranges with edited members or a query on
 * per-device values are visited device by device, and matching runs are still emitted as ranges.
 */
export function resolveMembers(query: DeviceQuery, index: FleetIndex, property: PropertyReader): DeviceSlice[] {
  const slices: DeviceSlice[] = [];
  const ids: string[] = [];
  for (const record of index.standalone.values()) if (matches(query, recordReader(record, property))) ids.push(record.id);
  if (ids.length > 0) slices.push({ ids });
  for (const view of index.fleets) for (const slice of fleetMembers(query, view, property)) slices.push(slice);
  return slices;
}

function fleetMembers(query: DeviceQuery, view: FleetView, property: PropertyReader): DeviceSlice[] {
  const { fleet } = view;
  const shared = query.where === undefined ? true : evaluate(query.where, sharedReader(fleet.template, fleet.simulated));
  const runs = new RunBuilder(fleet.prefix);
  if (shared === false) {
    // Unedited members all fail the query; only edited ones can match.
    const edited = [...view.overrides.keys()].sort((a, b) => a - b);
    for (const n of edited) if (matches(query, recordReader(view.overrides.get(n)!, property))) runs.add(n);
    return runs.done();
  }
  const end = fleet.first + fleet.count;
  if (shared === true && view.overrides.size === 0) {
    // Every surviving member matches: the ranges between deleted members.
    let from = fleet.first;
    for (const gone of view.deleted) {
      runs.addRun(from, gone);
      from = gone + 1;
    }
    runs.addRun(from, end);
    return runs.done();
  }
  for (let n = fleet.first; n < end; n++) {
    if (view.isDeleted(n)) continue;
    const override = view.overrides.get(n);
    const reader = override ? recordReader(override, property) : memberReader(fleet.prefix, n, fleet.template, fleet.simulated, property);
    if ((shared === true && !override) || matches(query, reader)) runs.add(n);
  }
  return runs.done();
}

class RunBuilder {
  private readonly slices: DeviceSlice[] = [];
  private first = -1;
  private count = 0;

  constructor(private readonly prefix: string) {}

  add(n: number): void {
    if (this.count > 0 && n === this.first + this.count) {
      this.count++;
      return;
    }
    this.flush();
    this.first = n;
    this.count = 1;
  }

  addRun(from: number, to: number): void {
    if (to <= from) return;
    this.flush();
    this.slices.push({ prefix: this.prefix, first: from, count: to - from });
  }

  done(): DeviceSlice[] {
    this.flush();
    return this.slices;
  }

  private flush(): void {
    if (this.count > 0) this.slices.push({ prefix: this.prefix, first: this.first, count: this.count });
    this.count = 0;
  }
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

export function recordReader(record: DeviceRecord, property: PropertyReader): FieldReader {
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
