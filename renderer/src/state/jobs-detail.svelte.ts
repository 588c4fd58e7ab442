import { control } from '../api/control';
import type { JobProgressEvent } from '../api/control-types';
import { inBackground } from '../lib/background';

export interface OutcomePoint {
  /** Simulated time, ms. */
  at: number;
  completed: number;
  failed: number;
}

const MAX_POINTS = 2000;

/**
 * One job's live progress from its `job` events, with the outcome counts over time for the chart: what happened
 * before the page opened comes from the emulator (spread over the job's batches), what follows from the events.
 */
export class JobDetailState {
  progress = $state<JobProgressEvent>();
  missing = $state(false);
  /** Outcomes before the page opened; more than the start point means they are spread over batches. */
  private past = $state<OutcomePoint[]>([]);
  private recorded = $state<OutcomePoint[]>([]);
  private readonly source: EventSource;

  constructor(readonly jobId: string) {
    this.source = control.events(jobId);
    this.source.addEventListener('job', (event) => {
      const progress = JSON.parse((event as MessageEvent<string>).data) as JobProgressEvent;
      this.progress = progress;
      this.record(progress);
    });
    this.source.addEventListener('missing', () => (this.missing = true));
    inBackground(this.loadPast(), 'reading the job\'s outcomes');
  }

  /** The history before this page opened was spread over batches (a job without recorded device times). */
  private pastEstimated = $state(false);

  get history(): OutcomePoint[] {
    const until = this.past.at(-1)?.at ?? -Infinity;
    return [...this.past, ...this.recorded.filter((point) => point.at > until)];
  }

  /** Simulated time up to which the history is spread over batches rather than recorded; undefined when none is. */
  get estimatedUntil(): number | undefined {
    return this.pastEstimated && this.past.length > 1 ? this.past.at(-1)?.at : undefined;
  }

  close(): void {
    this.source.close();
  }

  private async loadPast(): Promise<void> {
    try {
      const { basis, points } = await control.jobOutcomes(this.jobId);
      this.pastEstimated = basis === 'batches';
      this.past = points.map((point) => ({ ...point, at: Date.parse(point.at) }));
    } catch {
      // The chart still fills in from the live events.
    }
  }

  private record(progress: JobProgressEvent): void {
    if (!progress.progress) return;
    const { completed, failed } = progress.progress;
    const at = Date.parse(progress.at);
    const point = { at: progress.end ? Math.min(Date.parse(progress.end), at) : at, completed, failed };
    const start = progress.start ? Date.parse(progress.start) : undefined;
    const points = this.recorded.length === 0 && start !== undefined && start < point.at ? [{ at: start, completed: 0, failed: 0 }] : [...this.recorded];
    points.push(point);
    // Halve the resolution instead of dropping the start of a long run.
    this.recorded = points.length > MAX_POINTS ? points.filter((_, i) => i % 2 === 0 || i === points.length - 1) : points;
  }
}
