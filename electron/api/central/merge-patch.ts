import type { FastifyRequest } from 'fastify';
import { mergePatch } from '../../domain/merge-patch.js';
import { CentralError } from './errors.js';
import { violationText } from './spec-errors.js';
import { validateRequest } from './spec-validation.js';

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
