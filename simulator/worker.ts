import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { OperationOutcomes } from '../electron/domain/fleet-executor.js';
import { TASK, type TaskName } from './task-names.js';
import { executeOperations } from './tasks/execute-operations.js';

export const TASKS = {
  [TASK.executeOperations]: executeOperations,
} satisfies Record<TaskName, (payload: never) => unknown>;

export interface TaskMessage<T extends TaskName = TaskName> {
  task: T;
  payload: Parameters<(typeof TASKS)[T]>[0];
}

/** Hands both result buffers back to the pool without copying them. */
function transferOutcomes(outcomes: OperationOutcomes) {
  return move({
    [transferableSymbol]: [outcomes.outcome.buffer, outcomes.latencyMs.buffer],
    [valueSymbol]: outcomes,
  });
}

export default function runTask({ task, payload }: TaskMessage) {
  const run = TASKS[task];
  if (!run) throw new Error(`Unknown simulator task "${task}".`);
  return transferOutcomes(run(payload));
}
