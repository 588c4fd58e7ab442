import { control } from '../api/control';
import type { JobSummary } from '../api/control-types';

/** Every job's summary, kept current by the emulator's `jobs` events; the stream opens on first use and stays open. */
class JobsState {
  list = $state<JobSummary[]>([]);
  /** False until the first event arrives, and while the stream reconnects. */
  connected = $state(false);
  loaded = $state(false);
  private source?: EventSource;

  connect(): void {
    if (this.source) return;
    this.source = control.events();
    this.source.addEventListener('jobs', (event) => {
      this.list = JSON.parse((event as MessageEvent<string>).data) as JobSummary[];
      this.connected = true;
      this.loaded = true;
    });
    // A dropped stream may mean the emulator went away: one request tells the connection banner.
    this.source.addEventListener('error', () => {
      this.connected = false;
      void control.info().catch(() => undefined);
    });
  }

  get running(): JobSummary[] {
    return this.list.filter((job) => job.status === 'running' || job.status === 'pending');
  }
}

export const jobs = new JobsState();
