import type { DeviceRecord } from '../../store/records.js';

/** Devices that belong to no fleet, in creation order, with the positional access that paging needs. */
export class StandaloneDevices {
  private readonly records = new Map<string, DeviceRecord>();
  /** Ids by position; a removed id leaves a hole until the next positional read (or too many holes) compacts them. */
  private order: (string | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private holes = 0;

  get size(): number {
    return this.records.size;
  }

  get(id: string): DeviceRecord | undefined {
    return this.records.get(id);
  }

  /** Adds a device at the end, or replaces an existing one in place. */
  put(record: DeviceRecord): void {
    if (!this.slots.has(record.id)) this.slots.set(record.id, this.order.push(record.id) - 1);
    this.records.set(record.id, record);
  }

  delete(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.order[slot] = undefined;
    this.slots.delete(id);
    this.records.delete(id);
    if (++this.holes > this.order.length / 2) this.compact();
  }

  /** In creation order. */
  values(): IterableIterator<DeviceRecord> {
    return this.records.values();
  }

  /** The devices at positions [start, end). */
  slice(start: number, end: number): DeviceRecord[] {
    this.compact();
    return this.order.slice(start, end).map((id) => this.records.get(id!)!);
  }

  /** The device's position, or -1 when it is not here. */
  positionOf(id: string): number {
    this.compact();
    return this.slots.get(id) ?? -1;
  }

  private compact(): void {
    if (this.holes === 0) return;
    this.order = this.order.filter((id) => id !== undefined);
    this.order.forEach((id, slot) => this.slots.set(id!, slot));
    this.holes = 0;
  }
}
