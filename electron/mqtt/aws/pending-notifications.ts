import type { AgentExecutions } from '../../domain/aws/agent-executions.js';
import type { ExecutionView } from '../../domain/aws/aws-job-executions.js';
import type { Clock } from '../../domain/clock.js';
import { deliveredExecutionMessage, summaryMessage, type DeliverDocument } from './jobs-messages.js';

/** A ListNotification names at most this many executions, as AWS IoT's. */
const MAX_LISTED = 15;

/** Publishes one notification to `jobs/{rest}` of the thing. */
type Notify = (rest: string, body: Record<string, unknown>) => Promise<void>;

/**
 * The jobs API's notifications for one connected thing: `notify` (a ListNotification) when its pending executions
 * change, `notify-next` (a NextNotification) when the first of them changes. Each check compares the pending list
 * with the one of the last check; a change made by anyone (the engine releasing a job, the agent, a cancel, a
 * timeout) is seen by the next check. Executions of jobs created with a `namespaceId` are also listed on
 * `notify-namespace-{namespaceId}`, each namespace's list on its own topic, when that list changes.
 */
export class PendingNotifications {
  private listed = '';
  private next = '';
  /** The last list each namespace's topic was told, by namespace. */
  private namespaceLists = new Map<string, string>();
  private baseline: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly agents: AgentExecutions,
    private readonly clock: Clock,
    private readonly thing: string,
    private readonly notify: Notify,
    private readonly deliver: DeliverDocument,
    private readonly namespaceOf: (jobId: string) => string | undefined,
  ) {}

  /** Takes the pending list as it is now, without notifying: AWS sends nothing on connect or subscribe. */
  start(): Promise<void> {
    return (this.baseline ??= (async () => {
      const { inProgress, queued } = await this.agents.pending(this.thing);
      this.listed = listKey(inProgress, queued);
      this.next = (inProgress[0] ?? queued[0])?.jobId ?? '';
    })());
  }

  /** Compares and notifies; checks asked for while one runs are folded into one more check after it. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.compare();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async compare(): Promise<void> {
    // A check never compares with a baseline not yet taken.
    await this.start();
    const { inProgress, queued } = await this.agents.pending(this.thing);
    const listed = listKey(inProgress, queued);
    const first = inProgress[0] ?? queued[0];
    const next = first?.jobId ?? '';
    const listChanged = listed !== this.listed;
    const nextChanged = next !== this.next;
    this.listed = listed;
    this.next = next;
    const timestamp = this.clock.now();
    if (listChanged) {
      await this.notify('notify', { timestamp, jobs: listOf([...inProgress, ...queued]) });
      await this.notifyNamespaces([...inProgress, ...queued], timestamp);
    }
    if (nextChanged) {
      const execution = first && (await this.agents.describe(this.thing, first.jobId, true));
      await this.notify('notify-next', { timestamp, ...(execution && { execution: await deliveredExecutionMessage(execution, this.deliver) }) });
    }
  }

  private async notifyNamespaces(pending: ExecutionView[], timestamp: number): Promise<void> {
    const byNamespace = new Map<string, ExecutionView[]>([...this.namespaceLists.keys()].map((namespace) => [namespace, []]));
    for (const execution of pending) {
      const namespace = this.namespaceOf(execution.jobId);
      if (namespace === undefined) continue;
      const listed = byNamespace.get(namespace);
      if (listed) listed.push(execution);
      else byNamespace.set(namespace, [execution]);
    }
    for (const [namespace, executions] of byNamespace) {
      const key = listKey(executions);
      if (key === this.namespaceLists.get(namespace)) continue;
      if (executions.length === 0) this.namespaceLists.delete(namespace);
      else this.namespaceLists.set(namespace, key);
      await this.notify(`notify-namespace-${namespace}`, { timestamp, jobs: listOf(executions) });
    }
  }
}

/** A ListNotification's `jobs`: at most 15 executions, IN_PROGRESS before QUEUED. */
function listOf(pending: ExecutionView[]): Record<string, unknown> {
  const shown = pending.slice(0, MAX_LISTED);
  const jobs: Record<string, unknown> = {};
  const inProgressShown = shown.filter((execution) => execution.status === 'IN_PROGRESS');
  const queuedShown = shown.filter((execution) => execution.status === 'QUEUED');
  if (inProgressShown.length > 0) jobs.IN_PROGRESS = inProgressShown.map(summaryMessage);
  if (queuedShown.length > 0) jobs.QUEUED = queuedShown.map(summaryMessage);
  return jobs;
}

const listKey = (...lists: ExecutionView[][]) => lists.flat().map((execution) => `${execution.jobId}:${execution.status}`).join(',');
