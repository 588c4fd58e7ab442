import type { Supervisor } from '../background.js';
import type { DeviceSlice } from '../fleet-executor.js';

export type JoinListener = (group: string, joined: DeviceSlice[]) => Promise<void>;

/**
 * Devices that joined a group, for what follows the group (continuous jobs). A request that adds a device waits for
 * the followers (`deliver`); a query group's own evaluation, which no request waits for, hands them the joins in the
 * background (`announce`), where a failure is logged, never an unhandled rejection.
 */
export class MembershipChanges {
  private readonly listeners: JoinListener[] = [];

  constructor(private readonly background: Supervisor) {}

  onJoined(listener: JoinListener): void {
    this.listeners.push(listener);
  }

  async deliver(group: string, joined: DeviceSlice[]): Promise<void> {
    for (const listener of this.listeners) await listener(group, joined);
  }

  announce(group: string, joined: DeviceSlice[]): void {
    if (joined.length === 0 || this.listeners.length === 0) return;
    this.background.run(`giving the devices that joined group "${group}" to what follows it`, () => this.deliver(group, joined));
  }
}
