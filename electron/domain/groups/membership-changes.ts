import type { Supervisor } from '../background.js';
import type { DeviceSlice } from '../fleet-executor.js';

export type JoinListener = (group: string, joined: DeviceSlice[]) => Promise<void>;

/**
 * Devices that joined a group, for what follows the group (continuous jobs). A request that adds a device waits for
 * the followers (`deliver`). A query group's own evaluation, which no request waits for, hands them the joins in the
 * background (`announce`), where a failure is logged, never an unhandled rejection; joins announced while a delivery
 * for the group is under way go together in the next one, so a burst of things that start to match costs a few
 * deliveries (each a durable write of the job), not one per thing.
 */
export class MembershipChanges {
  private readonly listeners: JoinListener[] = [];
  private readonly pending = new Map<string, DeviceSlice[]>();
  private readonly delivering = new Set<string>();

  constructor(private readonly background: Supervisor) {}

  onJoined(listener: JoinListener): void {
    this.listeners.push(listener);
  }

  async deliver(group: string, joined: DeviceSlice[]): Promise<void> {
    for (const listener of this.listeners) await listener(group, joined);
  }

  announce(group: string, joined: DeviceSlice[]): void {
    if (joined.length === 0 || this.listeners.length === 0) return;
    const pending = this.pending.get(group);
    if (pending) pending.push(...joined);
    else this.pending.set(group, [...joined]);
    if (this.delivering.has(group)) return;
    this.delivering.add(group);
    this.background.run(`giving the devices that joined group "${group}" to what follows it`, async () => {
      try {
        for (let next = this.take(group); next; next = this.take(group)) await this.deliver(group, next);
      } finally {
        this.delivering.delete(group);
      }
    });
  }

  private take(group: string): DeviceSlice[] | undefined {
    const joined = this.pending.get(group);
    this.pending.delete(group);
    return joined;
  }
}
