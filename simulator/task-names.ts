/** Names of the tasks simulator/worker.ts runs; pool.ts sends them with each payload. */
export const TASK = {
  executeOperations: 'execute-operations',
} as const;

export type TaskName = (typeof TASK)[keyof typeof TASK];
