import type { DeviceRecord } from '../../store/records.js';
import type { AppStore } from '../persisted.js';

/**
 * The names of external things (stored devices a real agent drives; fleet members never are), kept current from the
 * store's changes so that no request has to scan the devices for them.
 */
export class ExternalThings {
  private readonly names = new Set<string>();

  constructor(private readonly store: AppStore) {
    this.rebuild();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.rebuild();
      else if (change.op === 'set' || change.collection !== 'devices') return;
      else if (change.op === 'put' && (change.record as DeviceRecord).external) this.names.add(change.id);
      else this.names.delete(change.id);
    });
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  list(): string[] {
    return [...this.names];
  }

  private rebuild(): void {
    this.names.clear();
    for (const device of this.store.repository('devices').list()) if (device.external) this.names.add(device.id);
  }
}
