import type { FastifyRequest } from 'fastify';

/** Operations whose body carries a JobCancellationThreshold. */
const THRESHOLD_OPERATIONS = new Set(['Jobs_Create', 'ScheduledJobs_Create', 'ScheduledJobs_Update']);
const BOOLEANS: Record<string, boolean> = { true: true, false: false };

/**
 * A preValidation hook: `cancellationThreshold.batch` given as the string "true" or "false" is that boolean. The
 * Azure CLI's `--cancellation-threshold-batch` option is a plain string that it sends as is, and the cloud accepts
 * it (docs/compat.md); any other string still fails the spec's boolean.
 */
export async function acceptStringBooleans(request: FastifyRequest): Promise<void> {
  if (!THRESHOLD_OPERATIONS.has(request.routeOptions.config.operation ?? '')) return;
  const threshold = (request.body as { cancellationThreshold?: { batch?: unknown } } | undefined)?.cancellationThreshold;
  if (typeof threshold !== 'object' || threshold === null || typeof threshold.batch !== 'string') return;
  if (Object.hasOwn(BOOLEANS, threshold.batch)) threshold.batch = BOOLEANS[threshold.batch];
}
