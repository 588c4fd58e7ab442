import type { FastifyRequest } from 'fastify';
import { CentralError } from './errors.js';

/**
 * An onRequest hook: a query parameter given more than once with one value counts once, as the Azure CLI sends
 * `api-version` again on every nextLink it follows; given with different values it is a 400 naming the parameter.
 */
export async function collapseRepeatedQuery(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, string | string[]>;
  if (!Object.values(query).some(Array.isArray)) return;
  // fromEntries, not assignment: a parameter named __proto__ stays data.
  request.query = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, singleValue(name, value)]));
}

function singleValue(name: string, value: string | string[]): string {
  if (!Array.isArray(value)) return value;
  const distinct = [...new Set(value)];
  if (distinct.length > 1) {
    throw new CentralError('BadRequest', `The query parameter "${name}" is given more than once with different values: ${distinct.map((v) => `"${v}"`).join(', ')}.`);
  }
  return distinct[0]!;
}
