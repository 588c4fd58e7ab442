import type { Supervisor } from '../background.js';
import { conflict, DomainError, invalid, notFound } from '../errors.js';
import type { JobEngine } from '../jobs/job-engine.js';
import { isFinished } from '../jobs/job-model.js';
import type { AppStore } from '../persisted.js';
import { ClockTimers } from '../clock-timers.js';
import type { SimulationClock } from '../simulation-clock.js';
import { withAgentExecution, type AgentExecutionRecord, type ExecutionStatus } from './aws-job-model.js';
import { checkVersion, isTerminal, type AwsJobExecutions, type ExecutionView } from './aws-job-executions.js';
import type { AwsJobs } from './aws-jobs.js';
import type { Things } from './things.js';

export interface AgentExecutionView extends ExecutionView {
  approximateSecondsBeforeTimedOut?: number;
  jobDocument?: string;
}

export interface AgentUpdate {
  status: ExecutionStatus;
  statusDetails?: Record<string, string>;
  stepTimeoutInMinutes?: number;
  expectedVersion?: number;
}

/** What an agent may report, and what the engine records for it. */
const AGENT_OUTCOMES = { SUCCEEDED: 'succeeded', FAILED: 'failed', REJECTED: 'rejected' } as const;
const MINUTE = 60_000;
/** stepTimeoutInMinutes: 1 minute to 7 days, or -1 to clear the step timer. */
const MAX_STEP_MINUTES = 10_080;

/**
 * The AWS IoT Jobs data plane: a real agent on an external thing takes the executions the rollout released to it
 * (QUEUED), starts them (IN_PROGRESS) and reports how they ended; the engine counts its answer like a simulated
 * device's. Step and in-progress timeouts end an execution the agent left IN_PROGRESS as TIMED_OUT.
 */
export class AgentExecutions {
  private readonly timers: ClockTimers;

  constructor(
    private readonly store: AppStore,
    private readonly engine: JobEngine,
    private readonly jobs: AwsJobs,
    private readonly executions: AwsJobExecutions,
    private readonly things: Things,
    private readonly clock: SimulationClock,
    /** Runs the timeouts, which no request waits for; their failures are logged. */
    private readonly background: Supervisor,
  ) {
    this.timers = new ClockTimers(clock);
    this.armAll();
    store.subscribe((change) => {
      if (change.op === 'replaced') this.armAll();
    });
  }

  /** The thing's released executions that have not ended, in job creation order: started ones and queued ones. */
  async pending(thingName: string): Promise<{ inProgress: ExecutionView[]; queued: ExecutionView[] }> {
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    const inProgress: ExecutionView[] = [];
    const queued: ExecutionView[] = [];
    for (const view of this.jobs.list({})) {
      if (isFinished(view.job.status)) continue;
      const status = await this.executions.statusOf(view, thingName);
      if (status === 'IN_PROGRESS') inProgress.push(await this.executions.viewAt(view, thingName, status));
      else if (status === 'QUEUED' && (await this.engine.deviceInfo(view.record.jobId, thingName))?.released) {
        queued.push(await this.executions.viewAt(view, thingName, status));
      }
    }
    return { inProgress, queued };
  }

  /** The thing's execution of a job, as its agent sees it. */
  async describe(thingName: string, jobId: string, includeJobDocument: boolean): Promise<AgentExecutionView> {
    return this.agentView(await this.executions.get(jobId, thingName), includeJobDocument);
  }

  /** The thing's first pending execution, in-progress ones first. */
  async describeNext(thingName: string, includeJobDocument: boolean): Promise<AgentExecutionView> {
    const { inProgress, queued } = await this.pending(thingName);
    const execution = inProgress[0] ?? queued[0];
    if (!execution) throw notFound('Pending job execution of thing', thingName);
    return this.agentView(execution, includeJobDocument);
  }

  /** StartNextPendingJobExecution: the execution in progress, else the first queued one, now started; none -> undefined. */
  async startNext(thingName: string, statusDetails: Record<string, string> | undefined, stepTimeoutInMinutes: number | undefined): Promise<AgentExecutionView | undefined> {
    this.checkExternal(thingName);
    const { inProgress, queued } = await this.pending(thingName);
    if (inProgress[0]) return this.agentView(inProgress[0], true);
    const next = queued[0];
    if (!next) return undefined;
    await this.update(thingName, next.jobId, { status: 'IN_PROGRESS', ...(statusDetails && { statusDetails }), ...(stepTimeoutInMinutes !== undefined && { stepTimeoutInMinutes }) });
    return this.agentView(await this.executions.get(next.jobId, thingName), true);
  }

  /** UpdateJobExecution from the thing's agent: recorded first, then counted by the engine when it ends the execution. */
  async update(thingName: string, jobId: string, update: AgentUpdate): Promise<ExecutionView> {
    this.checkExternal(thingName);
    return this.jobs.exclusive(jobId, async () => {
      const { record } = this.jobs.get(jobId);
      const execution = await this.executions.get(jobId, thingName);
      checkVersion(execution, update.expectedVersion);
      if (isTerminal(execution.status)) throw conflict(`The execution of job "${jobId}" on "${thingName}" is already ${execution.status}.`);
      if (!(await this.engine.deviceInfo(jobId, thingName))?.awaitingAgent) {
        throw conflict(`The execution of job "${jobId}" on "${thingName}" has not been released to the thing yet.`);
      }
      const step = update.stepTimeoutInMinutes;
      if (step !== undefined && step !== -1 && (step < 1 || step > MAX_STEP_MINUTES)) {
        throw invalid(`stepTimeoutInMinutes must be from 1 to ${MAX_STEP_MINUTES}, or -1 to clear the step timer.`);
      }
      const outcome = update.status === 'IN_PROGRESS' ? undefined : AGENT_OUTCOMES[update.status as keyof typeof AGENT_OUTCOMES];
      if (update.status !== 'IN_PROGRESS' && !outcome) {
        throw invalid(`An agent may set IN_PROGRESS, SUCCEEDED, FAILED or REJECTED; ${update.status} is set by the service.`);
      }
      const agent = agentRecordAfter(record.agentExecutions?.[thingName], update, {
        now: this.clock.now(),
        versionNumber: execution.versionNumber + 1,
        inProgressTimeoutMinutes: record.settings.timeoutConfig?.inProgressTimeoutInMinutes,
      });
      await this.store.commit((tx) => tx.put('awsJobs', jobId, withAgentExecution(record, thingName, agent)));
      if (outcome) this.engine.reportExternal(jobId, thingName, outcome);
      this.arm(jobId, thingName, agent);
      return this.executions.get(jobId, thingName);
    });
  }

  private checkExternal(thingName: string): void {
    if (!this.things.exists(thingName)) throw notFound('Thing', thingName);
    if (!this.things.isExternal(thingName)) {
      throw invalid(`Thing "${thingName}" is simulated; only an external thing's agent updates its job executions (see PUT /_fleetlab/devices/{id}/behavior).`);
    }
  }

  private agentView(execution: ExecutionView, includeJobDocument: boolean): AgentExecutionView {
    const agent = this.jobs.get(execution.jobId).record.agentExecutions?.[execution.thingName];
    const deadline = deadlineOf(agent);
    return {
      ...execution,
      ...(execution.status === 'IN_PROGRESS' && deadline !== undefined && { approximateSecondsBeforeTimedOut: Math.max(0, Math.ceil((deadline - this.clock.now()) / 1000)) }),
      ...(includeJobDocument && { jobDocument: this.jobs.document(execution.jobId, false) }),
    };
  }

  /** Arms the timers of every stored execution, in place of any armed before (at start, and after a reset or import). */
  private armAll(): void {
    this.timers.cancelAll();
    for (const record of this.store.repository('awsJobs').list()) {
      for (const [thing, agent] of Object.entries(record.agentExecutions ?? {})) this.arm(record.jobId, thing, agent);
    }
  }

  /** (Re)arms the timer that ends an IN_PROGRESS execution as TIMED_OUT at its earlier deadline. */
  private arm(jobId: string, thingName: string, agent: AgentExecutionRecord): void {
    this.timers.cancel(jobId, thingName);
    const deadline = deadlineOf(agent);
    if (agent.status !== 'IN_PROGRESS' || deadline === undefined) return;
    this.timers.set(jobId, thingName, deadline, 'timer', () =>
      this.background.run(`timing out the execution of AWS job "${jobId}" on "${thingName}"`, () => this.timeOut(jobId, thingName, deadline)),
    );
  }

  private timeOut(jobId: string, thingName: string, deadline: number): Promise<void> {
    return this.jobs.exclusive(jobId, async () => {
      const record = this.store.repository('awsJobs').get(jobId);
      const agent = record?.agentExecutions?.[thingName];
      // The job was deleted, or the agent moved the execution on, since the timer was armed.
      if (!record || !agent || agent.status !== 'IN_PROGRESS' || deadlineOf(agent) !== deadline) return;
      const { stepDeadline: _step, inProgressDeadline: _progress, ...kept } = agent;
      const timedOut: AgentExecutionRecord = { ...kept, status: 'TIMED_OUT', versionNumber: agent.versionNumber + 1, lastUpdatedAt: this.clock.now() };
      await this.store.commit((tx) => tx.put('awsJobs', jobId, withAgentExecution(record, thingName, timedOut)));
      try {
        this.engine.reportExternal(jobId, thingName, 'timedOut');
      } catch (error) {
        // The job was canceled meanwhile: nothing is waiting for this execution any more.
        if (!(error instanceof DomainError)) throw error;
      }
    });
  }
}

/** The agent's record after an update the caller has checked: the step and in-progress deadlines follow the status. */
function agentRecordAfter(
  previous: AgentExecutionRecord | undefined,
  update: AgentUpdate,
  { now, versionNumber, inProgressTimeoutMinutes }: { now: number; versionNumber: number; inProgressTimeoutMinutes: number | undefined },
): AgentExecutionRecord {
  const { stepDeadline, inProgressDeadline, ...kept } = previous ?? {};
  const base: AgentExecutionRecord = {
    ...kept,
    status: update.status,
    versionNumber,
    lastUpdatedAt: now,
    ...(update.statusDetails && { statusDetails: update.statusDetails }),
  };
  if (update.status !== 'IN_PROGRESS') return base;
  const step = update.stepTimeoutInMinutes;
  const progressDeadline = inProgressDeadline ?? (inProgressTimeoutMinutes === undefined ? undefined : now + inProgressTimeoutMinutes * MINUTE);
  const nextStepDeadline = step === -1 ? undefined : step === undefined ? stepDeadline : now + step * MINUTE;
  return {
    ...base,
    startedAt: base.startedAt ?? now,
    ...(progressDeadline !== undefined && { inProgressDeadline: progressDeadline }),
    ...(nextStepDeadline !== undefined && { stepDeadline: nextStepDeadline }),
  };
}

function deadlineOf(agent: AgentExecutionRecord | undefined): number | undefined {
  const deadlines = [agent?.stepDeadline, agent?.inProgressDeadline].filter((at): at is number => at !== undefined);
  return deadlines.length === 0 ? undefined : Math.min(...deadlines);
}
