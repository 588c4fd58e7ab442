import type { Clock } from '../clock.js';
import { conflict, DomainError, notFound } from '../errors.js';
import type { JobEngine, Stage } from '../jobs/job-engine.js';
import { tickBase } from '../jobs/device-times.js';
import { DEVICE_PENDING, failureReasonOf, isFailure } from '../jobs/job-model.js';
import type { AppStore } from '../persisted.js';
import { withAgentExecution, type AgentExecutionRecord, type ExecutionStatus } from './aws-job-model.js';
import type { AwsJobs, AwsJobView } from './aws-jobs.js';
import { countExecutions, executionContext, executionStatusAt, findExecutions, type ExecutionContext, type ExecutionCounts } from './execution-status.js';
import type { Things } from './things.js';

export interface ExecutionView {
  jobId: string;
  thingName: string;
  status: ExecutionStatus;
  /** ms on the simulation clock */
  queuedAt: number;
  startedAt?: number;
  lastUpdatedAt: number;
  versionNumber: number;
  retryAttempt: number;
  statusDetails: Record<string, string>;
  forceCanceled?: boolean;
}

const TERMINAL: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'REJECTED', 'REMOVED', 'CANCELED']);
export const isTerminal = (status: ExecutionStatus) => TERMINAL.has(status);

/** A simulated device's version counts its status changes: queued, started, finished. */
const simulatedVersion = (status: ExecutionStatus) => (status === 'QUEUED' ? 1 : status === 'IN_PROGRESS' ? 2 : 3);

/** AWS IoT job executions: one per thing and job, read from the engine's status bytes and per-device times. */
export class AwsJobExecutions {
  constructor(
    private readonly store: AppStore,
    private readonly engine: JobEngine,
    private readonly jobs: AwsJobs,
    private readonly things: Things,
    private readonly clock: Clock,
  ) {}

  async counts(id: string): Promise<ExecutionCounts> {
    return countExecutions(await this.contextOf(this.jobs.get(id)));
  }

  async list(id: string, offset: number, limit: number, status?: ExecutionStatus): Promise<{ executions: ExecutionView[]; more: boolean }> {
    const view = this.jobs.get(id);
    const { entries, more } = findExecutions(await this.contextOf(view), { offset, limit, ...(status !== undefined && { status }) });
    const executions = await Promise.all(entries.map((entry) => this.viewAt(view, entry.thingName, entry.status)));
    return { executions, more };
  }

  /** The thing's executions across AWS jobs in creation order, optionally of one job or one status. */
  async forThing(thingName: string, filter: { status?: ExecutionStatus; jobId?: string } = {}): Promise<ExecutionView[]> {
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    const out: ExecutionView[] = [];
    for (const view of this.jobs.list({})) {
      if (filter.jobId !== undefined && view.record.jobId !== filter.jobId) continue;
      const status = await this.statusOf(view, thingName);
      if (status !== undefined && (filter.status === undefined || filter.status === status)) out.push(await this.viewAt(view, thingName, status));
    }
    return out;
  }

  async get(id: string, thingName: string): Promise<ExecutionView> {
    const view = this.jobs.get(id);
    const status = await this.statusOf(view, thingName);
    if (status === undefined) throw notFound('Job execution of thing', `${thingName}" in job "${id}`);
    return this.viewAt(view, thingName, status);
  }

  /** The thing's execution status in a job, or undefined when the job does not target the thing. */
  async statusOf(view: AwsJobView, thingName: string): Promise<ExecutionStatus | undefined> {
    // Only this thing's agent can decide its status: the other external things are not looked at.
    const context = await this.contextOf(view, this.things.isExternal(thingName) ? [thingName] : []);
    const position = context.devices.positionOf(thingName);
    return position < 0 ? undefined : executionStatusAt(context, position);
  }

  /** CancelJobExecution: a queued execution always, an in-progress one with force; a finished one never. */
  cancel(id: string, thingName: string, options: { force: boolean; expectedVersion?: number; statusDetails?: Record<string, string> }): Promise<void> {
    return this.jobs.exclusive(id, async () => {
      const execution = await this.get(id, thingName);
      checkVersion(execution, options.expectedVersion);
      if (isTerminal(execution.status)) throw conflict(`The execution of job "${id}" on "${thingName}" is ${execution.status}; it can no longer be canceled.`);
      if (execution.status === 'IN_PROGRESS' && !options.force) {
        throw conflict(`The execution of job "${id}" on "${thingName}" is IN_PROGRESS; cancel it with force.`);
      }
      // Released but not started by its agent is still queued for AWS, whatever the engine calls it.
      await this.engine.cancelDevice(id, thingName, true, this.serviceStatus(id, execution, { status: 'CANCELED', ...(options.statusDetails && { statusDetails: options.statusDetails }) }));
    });
  }

  /** DeleteJobExecution: a finished execution always, others with force. The execution stays listed as REMOVED. */
  remove(id: string, thingName: string, executionNumber: number, force: boolean): Promise<void> {
    return this.jobs.exclusive(id, async () => {
      const execution = await this.get(id, thingName);
      if (executionNumber !== 1) throw notFound('Job execution', `${id}/${thingName}/${executionNumber}`);
      if (!isTerminal(execution.status) && !force) {
        throw conflict(`The execution of job "${id}" on "${thingName}" is ${execution.status}; delete it with force.`);
      }
      await this.engine.removeDevice(id, thingName, true, this.serviceStatus(id, execution, { status: 'REMOVED' }));
    });
  }

  /** The status context of a job: bytes, released prefix, and which released external things (of `externals`) have not started. */
  async contextOf(view: AwsJobView, externals: readonly string[] = this.things.externalNames()): Promise<ExecutionContext> {
    const id = view.record.jobId;
    const state = await this.engine.deviceState(id);
    const released = this.engine.released(id);
    const awaitingStart = new Set<number>();
    for (const name of externals) {
      const position = state.devices.positionOf(name);
      if (position < 0 || position >= released || (state.status?.[position] ?? DEVICE_PENDING) !== DEVICE_PENDING) continue;
      if (view.record.agentExecutions?.[name]?.status !== 'IN_PROGRESS') awaitingStart.add(position);
    }
    return executionContext(view.job, state, released, awaitingStart);
  }

  async viewAt(view: AwsJobView, thingName: string, status: ExecutionStatus): Promise<ExecutionView> {
    const { record } = view;
    const info = await this.engine.deviceInfo(record.jobId, thingName);
    const agent = record.agentExecutions?.[thingName];
    const startedAt = status === 'QUEUED' ? undefined : (agent?.startedAt ?? info?.startedAt);
    // Device times fall on the engine's 100 ms grid; on the same grid, queuedAt never comes after a start in its tick.
    const queuedAt = tickBase(record.createdAt);
    return {
      jobId: record.jobId,
      thingName,
      status,
      queuedAt,
      ...(startedAt !== undefined && { startedAt }),
      lastUpdatedAt: Math.max(agent?.lastUpdatedAt ?? 0, info?.updatedAt ?? startedAt ?? queuedAt),
      versionNumber: agent?.versionNumber ?? simulatedVersion(status),
      retryAttempt: info?.attempts ?? 0,
      statusDetails: agent?.statusDetails ?? this.simulatedDetails(thingName, info?.status),
      ...(status === 'CANCELED' && record.forceCanceled && { forceCanceled: true }),
    };
  }

  /** A simulated thing's failed execution says why in statusDetails, as an agent reports it; a real thing's has only what its agent sent. */
  private simulatedDetails(thingName: string, byte: number | undefined): Record<string, string> {
    if (byte === undefined || !isFailure(byte) || this.things.isExternal(thingName)) return {};
    const reason = failureReasonOf(byte);
    return reason === undefined ? {} : { reason };
  }

  /**
   * Records a status the service set on an execution; its version moves on like an agent's update would. The engine
   * has already applied it (its per-device calls take no writes of ours), so a refused commit leaves the old version.
   */
  /** The execution's new status as the service set it, committed with the engine's change of the device. */
  private serviceStatus(id: string, execution: ExecutionView, change: Pick<AgentExecutionRecord, 'status' | 'statusDetails'>): Stage {
    const { record } = this.jobs.get(id);
    const { stepDeadline: _step, inProgressDeadline: _progress, ...kept } = record.agentExecutions?.[execution.thingName] ?? { versionNumber: 1, lastUpdatedAt: 0 };
    const agent: AgentExecutionRecord = { ...kept, ...change, versionNumber: execution.versionNumber + 1, lastUpdatedAt: this.clock.now() };
    return (tx) => tx.put('awsJobs', id, withAgentExecution(record, execution.thingName, agent));
  }
}

/** A stale expectedVersion is a version conflict (409 VersionConflictException). */
export function checkVersion(execution: ExecutionView, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== execution.versionNumber) {
    throw new DomainError(
      'PreconditionFailed',
      `The execution of job "${execution.jobId}" on "${execution.thingName}" is at version ${execution.versionNumber}, not the expected ${expectedVersion}.`,
    );
  }
}
