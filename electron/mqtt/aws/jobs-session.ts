import type { AwsServices } from '../../domain/aws/aws-services.js';
import type { Supervisor } from '../../domain/background.js';
import type { Clock } from '../../domain/clock.js';
import type { ClientLink, DeviceSession } from '../device-protocol.js';
import { filterMatches, isRecord } from '../topics.js';
import { answerJobsRequest, type JobsAnswer } from './jobs-requests.js';
import { jobsRequestOf, jobsTopic, jobsTopicOf } from './jobs-topics.js';
import { PendingNotifications } from './pending-notifications.js';

export interface JobsSessionContext {
  aws: AwsServices;
  clock: Clock;
  supervisor: Supervisor;
  /** The emulator's HTTP(S) origin, where presigned URLs in delivered documents point (the local S3). */
  apiOrigin(): string;
}

/** Whom a connection speaks for: the things its certificate is attached to, or (SigV4) any thing of the account. */
export interface JobsPrincipal {
  identity: string;
  mayUse(thing: string): boolean;
  /** Things watched from the CONNECT on (a certificate's things); others from their first subscription. */
  things: readonly string[];
  /** Whether the connection may go on (its certificate still registered and ACTIVE); checked with the notifications. */
  valid(): boolean;
}

/** How often a connected thing's pending executions are compared for `notify` / `notify-next`, in real ms. */
const NOTIFY_CHECK_MS = 500;

/**
 * One AWS IoT client on the jobs MQTT API: requests on `$aws/things/{thing}/jobs/…` are answered on their
 * `/accepted` or `/rejected` topic, and notifications follow the thing's pending executions. Only the topics of
 * things the principal may use are open to it; answers go to the client only where it subscribed, as AWS IoT routes them.
 */
export async function openJobsSession(context: JobsSessionContext, principal: JobsPrincipal, link: ClientLink): Promise<DeviceSession> {
  const subscriptions = new Set<string>();
  const deliver = (jobId: string, thingName: string) => context.aws.jobs.deliveredDocument(jobId, thingName, context.apiOrigin());
  const watched = new Map<string, PendingNotifications>();
  const subscribedTo = (topic: string) => [...subscriptions].some((filter) => filterMatches(filter, topic));
  let connected = true;
  const publish = async (topic: string, body: Record<string, unknown>) => {
    // A check that ends after the client left has no one to tell.
    if (connected && subscribedTo(topic)) await link.send(topic, JSON.stringify(body));
  };
  const usable = (topic: string) => {
    const parsed = jobsTopicOf(topic);
    return parsed && principal.mayUse(parsed.thing) ? parsed : undefined;
  };
  /** Watches a thing's pending executions from its first subscription on; the state then is the baseline. */
  const watch = async (thing: string) => {
    if (watched.has(thing) || !context.aws.things.exists(thing)) return;
    const notifications = new PendingNotifications(context.aws.agents, context.clock, thing, (rest, body) => publish(jobsTopic(thing, rest), body), deliver, (jobId) => context.aws.jobs.namespaceOf(jobId));
    watched.set(thing, notifications);
    await notifications.start();
  };
  const checkAll = () => {
    if (!principal.valid()) return link.disconnect();
    for (const [thing, notifications] of watched) {
      if (!context.aws.things.exists(thing)) watched.delete(thing);
      else context.supervisor.run(`AWS IoT jobs notifications of "${thing}"`, () => notifications.check());
    }
  };
  for (const thing of principal.things) await watch(thing);
  // A SigV4 connection names its thing only by its client id, by AWS's convention.
  const shownAs = principal.things.length > 0 ? principal.things : context.aws.things.exists(principal.identity) ? [principal.identity] : [];
  const forget = context.aws.connected.connect(shownAs, link.transport);
  const timer = setInterval(checkAll, NOTIFY_CHECK_MS);
  timer.unref();

  return {
    identity: principal.identity,
    mayPublish: (topic) => {
      const parsed = usable(topic);
      return parsed !== undefined && jobsRequestOf(parsed.rest) !== undefined;
    },
    maySubscribe: (filter) => {
      const parsed = usable(filter);
      return parsed !== undefined;
    },
    async subscribed(filter) {
      subscriptions.add(filter);
      const parsed = usable(filter);
      if (parsed) await watch(parsed.thing);
    },
    async received(topic, payload) {
      const parsed = usable(topic);
      const request = parsed && jobsRequestOf(parsed.rest);
      if (!parsed || !request) return;
      const body = payload.length === 0 ? {} : jsonObjectOf(payload);
      const clientToken = isRecord(body) && typeof body.clientToken === 'string' ? body.clientToken : undefined;
      const answer = async (result: JobsAnswer) => {
        const timestamp = context.clock.now();
        const common = { timestamp, ...(clientToken !== undefined && { clientToken }) };
        if (result.accepted) await publish(`${topic}/accepted`, { ...result.body, ...common });
        else await publish(`${topic}/rejected`, { code: result.code, message: result.message, ...(result.executionState !== undefined && { executionState: result.executionState }), ...common });
      };
      if (!isRecord(body)) return answer({ accepted: false, code: 'InvalidJson', message: 'The payload is not a JSON object.' });
      let result: JobsAnswer;
      try {
        result = await answerJobsRequest(context.aws, deliver, parsed.thing, request, body);
      } catch (error) {
        await answer({ accepted: false, code: 'InternalError', message: 'The emulator failed to process the request.' });
        throw error;
      }
      await answer(result);
      // What the request changed is notified right after its answer, as AWS IoT orders them.
      await watched.get(parsed.thing)?.check();
    },
    closed: () => {
      connected = false;
      forget();
      clearInterval(timer);
      watched.clear();
    },
  };
}

function jsonObjectOf(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
