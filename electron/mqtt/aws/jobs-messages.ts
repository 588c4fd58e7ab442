import type { AgentExecutionView } from '../../domain/aws/agent-executions.js';
import type { ExecutionView } from '../../domain/aws/aws-job-executions.js';

/** The jobs MQTT API's times are whole epoch seconds; only `timestamp` is in ms. */
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));

/** Fleetlab runs each execution once. */
export const EXECUTION_NUMBER = 1;

/** A JobExecutionSummary as the jobs topics carry it. */
export const summaryMessage = (execution: ExecutionView) => ({
  jobId: execution.jobId,
  queuedAt: seconds(execution.queuedAt),
  startedAt: seconds(execution.startedAt),
  lastUpdatedAt: seconds(execution.lastUpdatedAt),
  versionNumber: execution.versionNumber,
  executionNumber: EXECUTION_NUMBER,
});

/** A job's document as delivered to a thing now: presigned URL placeholders become URLs made for this delivery. */
export type DeliverDocument = (jobId: string, thingName: string) => Promise<string>;

/** An execution message whose document (when it carries one) is the delivered one, as the HTTPS data plane sends it. */
export async function deliveredExecutionMessage(execution: AgentExecutionView, deliver: DeliverDocument) {
  if (execution.jobDocument === undefined) return executionMessage(execution);
  return executionMessage({ ...execution, jobDocument: await deliver(execution.jobId, execution.thingName) });
}

/** A JobExecution as the jobs topics carry it: unlike the HTTPS data plane, the job document is JSON, not a string. */
const executionMessage = (execution: AgentExecutionView) => ({
  ...summaryMessage(execution),
  thingName: execution.thingName,
  status: execution.status,
  ...(Object.keys(execution.statusDetails).length > 0 && { statusDetails: execution.statusDetails }),
  ...(execution.approximateSecondsBeforeTimedOut !== undefined && { approximateSecondsBeforeTimedOut: execution.approximateSecondsBeforeTimedOut }),
  ...(execution.jobDocument !== undefined && { jobDocument: documentMessage(execution.jobDocument) }),
});

export const executionStateMessage = (execution: ExecutionView) => ({
  status: execution.status,
  ...(Object.keys(execution.statusDetails).length > 0 && { statusDetails: execution.statusDetails }),
  versionNumber: execution.versionNumber,
});

/** A job document is JSON on AWS IoT; one that is not (made through the HTTP API) is sent as the string it is. */
export function documentMessage(document: string): unknown {
  try {
    return JSON.parse(document);
  } catch {
    return document;
  }
}
