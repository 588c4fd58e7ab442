import type { FastifyInstance } from 'fastify';
import { CentralError } from '../../central/errors.js';
import type { RequestLog } from '../../request-log.js';
import { integerParam } from '../query-params.js';
import { NoContent } from '../schema/common.js';
import { LoggedRequest, RequestListQuery, RequestPage } from '../schema/requests.js';

/** The request log: GET a page (newest first), GET one request with its headers and bodies, DELETE to clear. */
export async function requestLogRoutes(app: FastifyInstance, { requestLog }: { requestLog: RequestLog }): Promise<void> {
  app.get<{ Querystring: RequestListQuery; Reply: RequestPage }>(
    '/requests',
    { schema: { querystring: RequestListQuery, response: { 200: RequestPage } } },
    async (request) => {
      const offset = integerParam('offset', request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = integerParam('limit', request.query.limit, 100, 1, 500);
      const includeUi = request.query.includeUi === 'true';
      return { capacity: requestLog.capacity, ...requestLog.page(offset, limit, { includeUi }) };
    },
  );

  app.get<{ Params: { requestId: string }; Reply: LoggedRequest }>('/requests/:requestId', { schema: { response: { 200: LoggedRequest } } }, async (request) => {
    const id = integerParam('requestId', request.params.requestId, 0, 1, Number.MAX_SAFE_INTEGER);
    const entry = requestLog.get(id);
    if (!entry) throw new CentralError('NotFound', `Request ${id} is not in the log (it keeps the last ${requestLog.capacity}).`);
    return entry;
  });

  app.delete('/requests', { schema: { response: { 204: NoContent } } }, async (_request, reply) => {
    requestLog.clear();
    return reply.code(204).send();
  });
}
