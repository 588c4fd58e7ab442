import type { FastifyInstance } from 'fastify';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface TokenParams {
  tokenId: string;
}

export async function apiTokenRoutes(app: FastifyInstance): Promise<void> {
  const { tokens } = app.services;

  app.get<{ Reply: ResponseBody<'ApiTokens_List'> }>('/apiTokens', centralRoute('ApiTokens_List', 'manageTokens'), async () => ({
    value: tokens.list(),
  }));

  app.get<{ Params: TokenParams; Reply: ResponseBody<'ApiTokens_Get'> }>(
    '/apiTokens/:tokenId',
    centralRoute('ApiTokens_Get', 'manageTokens'),
    async (request) => tokens.get(request.params.tokenId),
  );

  app.put<{ Params: TokenParams; Body: RequestBody<'ApiTokens_Create'>; Reply: ResponseBody<'ApiTokens_Create'> }>(
    '/apiTokens/:tokenId',
    centralRoute('ApiTokens_Create', 'manageTokens'),
    async (request) => tokens.create(request.params.tokenId, request.body.roles, request.body.expiry),
  );

  app.delete<{ Params: TokenParams }>(
    '/apiTokens/:tokenId',
    centralRoute('ApiTokens_Remove', 'manageTokens'),
    async (request, reply) => {
      await tokens.remove(request.params.tokenId);
      return reply.code(204).send();
    },
  );
}
