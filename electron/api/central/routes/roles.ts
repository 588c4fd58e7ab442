import type { FastifyInstance } from 'fastify';
import { ROLES } from '../../../domain/roles.js';
import { notFound } from '../../../domain/errors.js';
import { centralRoute } from '../route-schema.js';
import type { ResponseBody } from '../wire-types.js';

export async function roleRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Reply: ResponseBody<'Roles_List'> }>('/roles', centralRoute('Roles_List', 'read'), async () => ({
    value: ROLES.map(({ id, displayName }) => ({ id, displayName })),
  }));

  app.get<{ Params: { roleId: string }; Reply: ResponseBody<'Roles_Get'> }>(
    '/roles/:roleId',
    centralRoute('Roles_Get', 'read'),
    async (request) => {
      const role = ROLES.find((r) => r.id === request.params.roleId);
      if (!role) throw notFound('Role', request.params.roleId);
      return { id: role.id, displayName: role.displayName };
    },
  );
}
