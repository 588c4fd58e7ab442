import type { FastifyRequest } from 'fastify';

/** The If-Match header of a write whose operation declares it (the *_Update operations of the spec); the domain checks it. */
export const ifMatchOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers['if-match'];
  return Array.isArray(header) ? header.join(',') : header;
};
