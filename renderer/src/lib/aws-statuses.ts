import type { ExecutionStatus } from '../api/control-types';

/** AWS IoT's job execution statuses in the order of an execution's life. */
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'CANCELED', 'REMOVED'];
