import { SvelteSet } from 'svelte/reactivity';
import { control } from '../api/control';
import type { DeviceQuery, DeviceRow } from '../api/control-types';
import { PagedRows } from '../lib/paged-rows.svelte';

/**
 * The Devices screen's view of the fleet: the filter, the rows that match it (a page at a time), and the selection,
 * either the ids ticked one by one or every matching device but those unticked.
 */
class DeviceTableState {
  query = $state<DeviceQuery>({});
  /** Every device matching the query is selected, except `excluded`. */
  allMatching = $state(false);
  readonly selected = new SvelteSet<string>();
  readonly excluded = new SvelteSet<string>();
  /** All devices, whatever the filter (from the last page read). */
  total = $state(0);
  loaded = $state(false);
  readonly rows = new PagedRows<DeviceRow>(async (offset, limit) => {
    const page = await control.devicePage(offset, limit, this.query);
    this.total = page.total;
    this.loaded = true;
    return { matched: page.matched, rows: page.devices };
  });

  get matched(): number {
    return this.rows.matched ?? 0;
  }

  get selectedCount(): number {
    return this.allMatching ? this.matched - this.excluded.size : this.selected.size;
  }

  isSelected(id: string): boolean {
    return this.allMatching ? !this.excluded.has(id) : this.selected.has(id);
  }

  setSelected(id: string, on: boolean): void {
    const set = this.allMatching ? this.excluded : this.selected;
    if (on === this.allMatching) set.delete(id);
    else set.add(id);
  }

  selectAllMatching(): void {
    this.selected.clear();
    this.excluded.clear();
    this.allMatching = true;
  }

  clearSelection(): void {
    this.selected.clear();
    this.excluded.clear();
    this.allMatching = false;
  }

  /** A new filter: the selection of every matching device would no longer say which ones. */
  filter(query: DeviceQuery): Promise<void> {
    this.query = query;
    if (this.allMatching) this.clearSelection();
    return this.rows.reset();
  }

  /** After devices were added, imported or changed elsewhere. */
  refresh(): Promise<void> {
    return this.rows.reset();
  }

  /** Replaces one row after the user changed that device. */
  update(id: string, change: Partial<DeviceRow>): void {
    this.rows.update((row) => row.id === id, (row) => ({ ...row, ...change }));
  }
}

export const deviceTable = new DeviceTableState();
