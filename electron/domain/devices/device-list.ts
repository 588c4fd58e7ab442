import { invalid } from '../errors.js';
import { DeviceSet } from '../jobs/device-set.js';
import { DEFAULT_FILTER_LIMITS, type FilterLimits } from '../query/filter-limits.js';
import { parseListFilter } from '../query/list-filter.js';
import type { DeviceCatalog } from './device-catalog.js';
import { resolveMembers } from './group-membership.js';

/** The device fields IoT Central's list `filter` knows, and the device query attribute each one reads. */
const DEVICE_LIST_FIELDS = {
  id: '$id',
  displayName: '$displayName',
  enabled: '$enabled',
  provisioned: '$provisioned',
  simulated: '$simulated',
  template: '$template',
  scopes: '$organizations',
} as const;

export interface DeviceListOptions {
  filter?: string;
  orderby?: string;
}

/** The devices a list request selects, addressed by position. */
export interface DeviceSelection {
  total: number;
  ids(start: number, end: number): string[];
}

const ORDER_BY = /^\s*displayName(?:\s+(asc|desc))?\s*$/i;

/**
 * Devices_List with the preview `filter` and `orderby` options. Filtering runs the device query evaluator over
 * fleet ranges, so a filter on fleet-wide attributes stays cheap on a million devices; ordering sorts the selection
 * once and keeps it until the devices change, so paging through it does not sort again.
 */
export class DeviceListing {
  private last?: { devicesVersion: number; key: string; selection: DeviceSelection };

  constructor(
    private readonly catalog: DeviceCatalog,
    private readonly filterLimits: FilterLimits = DEFAULT_FILTER_LIMITS,
  ) {}

  select(options: DeviceListOptions): DeviceSelection {
    const index = this.catalog.index;
    const key = JSON.stringify([options.filter, options.orderby]);
    if (this.last?.devicesVersion === index.version && this.last.key === key) return this.last.selection;
    const descending = options.orderby === undefined ? undefined : orderOf(options.orderby);
    const where = options.filter === undefined ? undefined : parseListFilter(options.filter, DEVICE_LIST_FIELDS, this.filterLimits);
    // Only system attributes are filterable, so no device property is ever read.
    const members = new DeviceSet(resolveMembers(where === undefined ? {} : { where }, index, () => undefined));
    const selection = descending === undefined ? { total: members.size, ids: (start: number, end: number) => members.ids(start, end) } : this.sorted(members, descending);
    this.last = { devicesVersion: index.version, key, selection };
    return selection;
  }

  /** By display name in ordinal order; devices with the same name keep their listing order. */
  private sorted(members: DeviceSet, descending: boolean): DeviceSelection {
    const ids = members.ids(0, members.size);
    const names = ids.map((id) => this.catalog.find(id)?.displayName ?? id);
    const direction = descending ? -1 : 1;
    const order = ids.map((_, i) => i).sort((a, b) => (names[a]! < names[b]! ? -direction : names[a]! > names[b]! ? direction : a - b));
    return { total: ids.length, ids: (start, end) => order.slice(start, end).map((i) => ids[i]!) };
  }
}

function orderOf(orderby: string): boolean {
  const match = ORDER_BY.exec(orderby);
  if (!match) throw invalid(`orderby: "${orderby}" is not supported; IoT Central sorts devices by displayName, optionally followed by asc or desc.`);
  return match[1]?.toLowerCase() === 'desc';
}
