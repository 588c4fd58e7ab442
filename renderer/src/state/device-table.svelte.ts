import { SvelteSet } from 'svelte/reactivity';
import { fleetApi, messageOf, type DeviceRow } from './fleet-api';

export const PAGE_SIZE = 100;
const MAX_CACHED_PAGES = 40;

/**
 * The Devices screen's view of the fleet: rows fetched a page at a time around what is on screen, so a million
 * devices never sit in memory; the selection is kept by id for export.
 */
class DeviceTableState {
  total = $state(0);
  error = $state('');
  loaded = $state(false);
  readonly selected = new SvelteSet<string>();
  private pages = $state<Record<number, DeviceRow[]>>({});
  private inFlight = new Set<number>();
  private generation = 0;

  row(index: number): DeviceRow | undefined {
    return this.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  /** Makes sure the rows [start, end) are loaded or loading. */
  ensure(start: number, end: number): void {
    for (let page = Math.floor(start / PAGE_SIZE); page * PAGE_SIZE < Math.min(end, Math.max(this.total, 1)); page++) {
      if (!(page in this.pages) && !this.inFlight.has(page)) void this.fetch(page);
    }
  }

  /** Forgets every cached page (after devices were added, imported or changed) and reloads the first. */
  async refresh(): Promise<void> {
    this.generation++;
    this.pages = {};
    this.inFlight.clear();
    await this.fetch(0);
  }

  /** Replaces one row after the user changed that device. */
  update(id: string, change: Partial<DeviceRow>): void {
    for (const rows of Object.values(this.pages)) {
      const at = rows.findIndex((row) => row.id === id);
      if (at >= 0) rows[at] = { ...rows[at]!, ...change };
    }
  }

  private evictFarFrom(page: number): void {
    const cached = Object.keys(this.pages).map(Number);
    if (cached.length <= MAX_CACHED_PAGES) return;
    cached.sort((a, b) => Math.abs(b - page) - Math.abs(a - page));
    for (const far of cached.slice(0, cached.length - MAX_CACHED_PAGES)) delete this.pages[far];
  }

  private async fetch(page: number): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(page);
    try {
      const result = await fleetApi.devicePage(page * PAGE_SIZE, PAGE_SIZE);
      if (generation !== this.generation) return;
      this.total = result.total;
      this.pages[page] = result.devices;
      this.evictFarFrom(page);
      this.error = '';
      this.loaded = true;
    } catch (error) {
      if (generation === this.generation) this.error = messageOf(error);
    } finally {
      this.inFlight.delete(page);
    }
  }
}

export const deviceTable = new DeviceTableState();
