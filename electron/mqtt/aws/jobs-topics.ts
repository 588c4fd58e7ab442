/** What a device asks on the AWS IoT Jobs MQTT API (docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html). */
export type JobsRequest = { kind: 'get' } | { kind: 'start-next' } | { kind: 'describe'; jobId: string } | { kind: 'update'; jobId: string };

const THINGS_PREFIX = '$aws/things/';
/** AWS IoT's thing name and job id patterns. */
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
/** The job id that names a thing's next pending execution. */
export const NEXT_JOB = '$next';
const JOB_ID = /^[a-zA-Z0-9_-]{1,64}$|^\$next$/;

/** The thing a `$aws/things/{thing}/jobs/…` topic or filter names, with what follows `jobs/`; undefined for others. */
export function jobsTopicOf(topic: string): { thing: string; rest: string } | undefined {
  if (!topic.startsWith(THINGS_PREFIX)) return undefined;
  const [thing, jobs, ...rest] = topic.slice(THINGS_PREFIX.length).split('/');
  if (thing === undefined || !THING_NAME.test(thing) || jobs !== 'jobs' || rest.length === 0) return undefined;
  return { thing, rest: rest.join('/') };
}

/** The request a device publishes to `rest` (the topic after `jobs/`), or undefined when it is not one. */
export function jobsRequestOf(rest: string): JobsRequest | undefined {
  if (rest === 'get') return { kind: 'get' };
  if (rest === 'start-next') return { kind: 'start-next' };
  const [jobId, action, ...more] = rest.split('/');
  if (jobId === undefined || !JOB_ID.test(jobId) || more.length > 0) return undefined;
  if (action === 'get') return { kind: 'describe', jobId };
  if (action === 'update' && jobId !== NEXT_JOB) return { kind: 'update', jobId };
  return undefined;
}

export const jobsTopic = (thing: string, rest: string) => `${THINGS_PREFIX}${thing}/jobs/${rest}`;
