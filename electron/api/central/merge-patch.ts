import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';
import { violationText } from './spec-errors.js';
import { validateRequest } from './spec-validation.js';

/** RFC 7396 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    // defineProperty: a `__proto__` member of the patch must become a member, not the result's prototype.
    else Object.defineProperty(result, key, { value: mergePatch(Object.hasOwn(result, key) ? result[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/**
 * The spec types every PATCH body as a bare object, but what a patch produces must still be a valid entity: the
 * patched copy of `current` is checked against the create operation's body, and a violation answers 422 naming the field.
 */
export function checkPatched(request: FastifyRequest, createOperationId: string, current: unknown, patch: unknown): unknown {
  // A deep copy: validation strips read-only fields from what it checks.
  const patched = mergePatch(structuredClone(current), patch);
  const violation = validateRequest(request.specVersion, createOperationId, { params: request.params, query: request.query, body: patched });
  if (violation) throw new CentralError('UnprocessableEntity', violationText(violation));
  return patched;
}
