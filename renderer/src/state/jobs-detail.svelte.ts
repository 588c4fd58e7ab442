import { jobsApi, type JobProgressEvent } from '../screens/jobs/jobs-api';

export interface OutcomePoint {
  /** Simulated time, ms. */
  at: number;
  completed: number;
  failed: number;
}

const MAX_POINTS = 2000;

/** One job's live progress from its `job` events, with the outcome counts over time for the chart. */
export class JobDetailState {
  progress = $state<JobProgressEvent>();
  history = $state<OutcomePoint[]>([]);
  missing = $state(false);
  private readonly source: EventSource;

  constructor(readonly jobId: string) {
    this.source = jobsApi.events(jobId);
    this.source.addEventListener('job', (event) => {
      const progress = JSON.parse((event as MessageEvent<string>).data) as JobProgressEvent;
      this.progress = progress;
      this.record(progress);
    });
    this.source.addEventListener('missing', () => (this.missing = true));
  }

  close(): void {
    this.source.close();
  }

  private record(progress: JobProgressEvent): void {
    if (!progress.progress) return;
    const { completed, failed } = progress.progress;
    const at = Date.parse(progress.at);
    const point = { at: progress.end ? Math.min(Date.parse(progress.end), at) : at, completed, failed };
    const start = progress.start ? Date.parse(progress.start) : undefined;
    const points = this.history.length === 0 && start !== undefined && start < point.at ? [{ at: start, completed: 0, failed: 0 }] : [...this.history];
    points.push(point);
    // Halve the resolution instead of dropping the start of a long run.
    this.history = points.length > MAX_POINTS ? points.filter((_, i) => i % 2 === 0 || i === points.length - 1) : points;
  }
}
