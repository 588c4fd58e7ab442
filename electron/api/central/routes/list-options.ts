import type { FastifyRequest } from 'fastify';
import { CentralError } from '../errors.js';

/** The preview list options Fleetlab does not evaluate yet; refusing them beats answering an unfiltered list. */
export function rejectListOptions(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown>;
  for (const option of ['filter', 'orderby']) {
    if (query[option] !== undefined) {
      throw new CentralError('NotImplemented', `The "${option}" list option is not supported by Fleetlab; list without it.`);
    }
  }
}
