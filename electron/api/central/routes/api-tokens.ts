import type { FastifyInstance } from 'fastify';
import type { RoleAssignmentRecord } from '../../../store/records.js';
import { centralRoute } from '../route-schema.js';

interface TokenParams {
  tokenId: string;
}
interface TokenBody {
  roles: RoleAssignmentRecord[];
  expiry?: string;
}

export async function apiTokenRoutes(app: FastifyInstance): Promise<void> {
  const { tokens } = app.services;

  app.get('/apiTokens', centralRoute('ApiTokens_List', 'manageTokens'), async () => ({
    value: tokens.list(),
  }));

  app.get<{ Params: TokenParams }>(
    '/apiTokens/:tokenId',
    centralRoute('ApiTokens_Get', 'manageTokens'),
    async (request) => tokens.get(request.params.tokenId),
  );

  app.put<{ Params: TokenParams; Body: TokenBody }>(
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
