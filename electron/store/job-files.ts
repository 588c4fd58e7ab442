export type JobFileName = 'targets.json' | 'targets.journal' | 'status.bin' | 'times.bin';

/** A job's file is missing, unreadable or fails its check; `reason` completes "<file> …". */
export class CorruptJobFileError extends Error {
  constructor(
    readonly jobId: string,
    readonly file: JobFileName,
    readonly reason: string,
  ) {
    super(`${file} of job "${jobId}" ${reason}`);
  }
}

/** What changed in a running job since its last checkpoint. */
export interface DeviceChanges {
  /** Devices the job has now: more than its files hold once a continuous job grew. */
  devices: number;
  status: Uint8Array;
  /** [startedAt, updatedAt] per device. */
  times: Uint32Array;
  /** Blocks of BLOCK_DEVICES devices whose status bytes or times changed, in order. */
  blocks: readonly number[];
}

/** A job's device targets (a JSON list of range / id slices), its status bytes (one per device) and device times. */
export interface JobDeviceFiles<Targets extends unknown[]> {
  /** A started job's files: its targets, every device pending, no times yet. */
  create(jobId: string, targets: Targets, devices: number): Promise<void>;
  writeTargets(jobId: string, targets: Targets): Promise<void>;
  /**
   * Adds `appended` at the end of a started job's targets, durable before it resolves (a StorageError when it cannot
   * be made so, and then nothing was added). Costs what is appended, however many targets the job has.
   */
  appendTargets(jobId: string, appended: Targets): Promise<void>;
  /** Null when the job has no targets file; throws CorruptJobFileError when it fails its check. */
  readTargets(jobId: string): Promise<Targets | null>;
  /** Replaces the whole file (snapshots, a finished job's device removed). */
  writeStatus(jobId: string, status: Uint8Array): Promise<void>;
  readStatus(jobId: string): Promise<Uint8Array | null>;
  writeTimes(jobId: string, times: Uint32Array): Promise<void>;
  readTimes(jobId: string): Promise<Uint32Array | null>;
  /**
   * Writes the changed blocks of a running job. It copies them before it returns, so the caller may change its arrays
   * at once. A no-op for a job whose files were removed.
   */
  writeChanges(jobId: string, changes: DeviceChanges): Promise<void>;
  /** Renames a file that failed its check to `<name>.corrupt-<timestamp>`; its new path, or null when it is missing. */
  moveAside(jobId: string, file: JobFileName): Promise<string | null>;
  /** Waits for the job's writes in progress, then deletes its folder; later writes of its changes do nothing. */
  remove(jobId: string): Promise<void>;
  removeAll(): Promise<void>;
}
