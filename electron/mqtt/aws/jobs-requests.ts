import type { AwsServices } from '../../domain/aws/aws-services.js';
import type { ExecutionStatus } from '../../domain/aws/aws-job-model.js';
import { DomainError, type DomainErrorKind } from '../../domain/errors.js';
import { isRecord } from '../topics.js';
import { EXECUTION_NUMBER, deliveredExecutionMessage, documentMessage, executionStateMessage, summaryMessage, type DeliverDocument } from './jobs-messages.js';
import { NEXT_JOB, type JobsRequest } from './jobs-topics.js';

/** The jobs API's error codes (the `code` of a `/rejected` message). */
type JobsErrorCode = 'InvalidJson' | 'InvalidRequest' | 'InvalidStateTransition' | 'ResourceNotFound' | 'VersionMismatch' | 'InternalError' | 'RequestThrottled';

/** An answer for `/accepted` or `/rejected`, before `timestamp` and `clientToken` are added. */
export type JobsAnswer = { accepted: true; body: Record<string, unknown> } | { accepted: false; code: JobsErrorCode; message: string; executionState?: unknown };

class Rejection extends Error {
  constructor(
    readonly code: JobsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const FROM_DOMAIN: Record<DomainErrorKind, JobsErrorCode> = {
  NotFound: 'ResourceNotFound',
  PreconditionFailed: 'VersionMismatch',
  Conflict: 'InvalidStateTransition',
  InvalidInput: 'InvalidRequest',
  Throttled: 'RequestThrottled',
  LimitExceeded: 'InvalidRequest',
  Forbidden: 'InvalidRequest',
  Unauthorized: 'InvalidRequest',
  NotImplemented: 'InvalidRequest',
};

/**
 * Answers one jobs request of a thing through the same domain calls as the HTTPS data plane (AgentExecutions), so
 * both transports share one execution state machine. Failures the device caused become `/rejected` answers; any
 * other failure is thrown (the session answers it InternalError and the broker's supervisor logs it).
 */
export async function answerJobsRequest(
  aws: AwsServices,
  deliver: DeliverDocument,
  thing: string,
  request: JobsRequest,
  payload: Record<string, unknown>,
): Promise<JobsAnswer> {
  try {
    return { accepted: true, body: await accepted(aws, deliver, thing, request, payload) };
  } catch (error) {
    const code = error instanceof Rejection ? error.code : error instanceof DomainError ? FROM_DOMAIN[error.kind] : undefined;
    if (code === undefined) throw error;
    const state = (code === 'VersionMismatch' || code === 'InvalidStateTransition') && 'jobId' in request ? await executionStateOf(aws, thing, request.jobId) : undefined;
    return { accepted: false, code, message: (error as Error).message, ...(state !== undefined && { executionState: state }) };
  }
}

async function accepted(aws: AwsServices, deliver: DeliverDocument, thing: string, request: JobsRequest, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (request.kind) {
    case 'get': {
      const { inProgress, queued } = await aws.agents.pending(thing);
      return { inProgressJobs: inProgress.map(summaryMessage), queuedJobs: queued.map(summaryMessage) };
    }
    case 'start-next': {
      const execution = await aws.agents.startNext(thing, statusDetailsOf(payload), integerOf(payload, 'stepTimeoutInMinutes'));
      return execution ? { execution: await deliveredExecutionMessage(execution, deliver) } : {};
    }
    case 'describe': {
      checkExecutionNumber(payload, thing, request.jobId);
      const includeJobDocument = booleanOf(payload, 'includeJobDocument') ?? true;
      // The job id `$next` names the thing's next pending execution (AWS IoT's own spelling).
      const execution = request.jobId === NEXT_JOB ? await aws.agents.describeNext(thing, includeJobDocument) : await aws.agents.describe(thing, request.jobId, includeJobDocument);
      return { execution: await deliveredExecutionMessage(execution, deliver) };
    }
    case 'update': {
      checkExecutionNumber(payload, thing, request.jobId);
      const status = payload.status;
      if (typeof status !== 'string') throw new Rejection('InvalidRequest', 'The update has no status.');
      const statusDetails = statusDetailsOf(payload);
      const stepTimeoutInMinutes = integerOf(payload, 'stepTimeoutInMinutes');
      const expectedVersion = integerOf(payload, 'expectedVersion');
      const includeState = booleanOf(payload, 'includeJobExecutionState') ?? false;
      const includeDocument = booleanOf(payload, 'includeJobDocument') ?? false;
      const execution = await aws.agents.update(thing, request.jobId, {
        status: status as ExecutionStatus,
        ...(statusDetails !== undefined && { statusDetails }),
        ...(stepTimeoutInMinutes !== undefined && { stepTimeoutInMinutes }),
        ...(expectedVersion !== undefined && { expectedVersion }),
      });
      return {
        ...(includeState && { executionState: executionStateMessage(execution) }),
        ...(includeDocument && { jobDocument: documentMessage(await deliver(request.jobId, thing)) }),
      };
    }
  }
}

async function executionStateOf(aws: AwsServices, thing: string, jobId: string): Promise<unknown> {
  try {
    return executionStateMessage(await aws.executions.get(jobId, thing));
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}

function checkExecutionNumber(payload: Record<string, unknown>, thing: string, jobId: string): void {
  const executionNumber = integerOf(payload, 'executionNumber');
  if (executionNumber !== undefined && executionNumber !== EXECUTION_NUMBER) {
    throw new Rejection('ResourceNotFound', `Thing "${thing}" has no execution number ${executionNumber} of job "${jobId}".`);
  }
}

function statusDetailsOf(payload: Record<string, unknown>): Record<string, string> | undefined {
  const details = payload.statusDetails;
  if (details === undefined) return undefined;
  if (!isRecord(details) || !Object.values(details).every((value) => typeof value === 'string')) {
    throw new Rejection('InvalidRequest', 'statusDetails must be an object of string values.');
  }
  return details as Record<string, string>;
}

function integerOf(payload: Record<string, unknown>, name: string): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Rejection('InvalidRequest', `${name} must be an integer.`);
  return value;
}

function booleanOf(payload: Record<string, unknown>, name: string): boolean | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new Rejection('InvalidRequest', `${name} must be true or false.`);
  return value;
}
