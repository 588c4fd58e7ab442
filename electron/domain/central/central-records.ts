import type { JobSpec } from '../jobs/job-spec.js';
import type { Schedule } from './recurrence.js';

/** One operation of an IoT Central job as the client sent it (its `type` spelled as sent, e.g. PropertyJobData). */
interface CentralOperationEcho {
  type: string;
  target?: string;
  path?: string;
  value?: unknown;
  template?: string;
  manifest?: string;
}

/** What an IoT Central client sent for a job (read-only fields dropped), echoed back by every read of it. */
export interface CentralJobEcho {
  displayName?: string;
  description?: string;
  group: string;
  batch?: { type: 'number' | 'percentage'; value: number };
  cancellationThreshold?: { type: 'number' | 'percentage'; value: number; batch?: boolean };
  data: CentralOperationEcho[];
  organizations?: string[];
}

/** The IoT Central side of a job made through its API (or one of its scheduled jobs); the engine's job of the same id runs it. */
export interface CentralJobRecord {
  id: string;
  echo: CentralJobEcho;
  scheduledJobId?: string;
}

export interface ScheduledJobRecord {
  id: string;
  etag: string;
  spec: JobSpec;
  /** What the client sent, echoed by the scheduled job and by each of its instances. */
  echo: CentralJobEcho;
  schedule: Schedule;
  enabled: boolean;
  completed: boolean;
  /** Runs started so far; instance n is named "<displayName> - <n>". */
  runs: number;
  /** Index of the next run (from 0), when one is due. */
  nextRun?: number;
}
