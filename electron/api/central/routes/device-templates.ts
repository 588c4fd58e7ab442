import type { FastifyInstance } from 'fastify';
import type { DeviceTemplateInput } from '../../../domain/devices/device-templates.js';
import type { Services } from '../../../domain/services.js';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { toCentralTemplate } from '../template-payload.js';
import { pageRequest, toPage } from '../paging.js';
import { rejectListOptions } from './list-options.js';

interface TemplateParams {
  deviceTemplateId: string;
}

export async function deviceTemplateRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const { templates } = services;
  const read = (operation: string) => ({ config: { operation, permission: 'read' as const } });
  const write = (operation: string) => ({ config: { operation, permission: 'manageTemplates' as const } });

  app.get('/deviceTemplates', read('DeviceTemplates_List'), async (request) => {
    rejectListOptions(request);
    const all = templates.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end).map(toCentralTemplate));
  });

  app.get<{ Params: TemplateParams }>('/deviceTemplates/:deviceTemplateId', read('DeviceTemplates_Get'), async (request) =>
    toCentralTemplate(templates.get(request.params.deviceTemplateId)),
  );

  app.put<{ Params: TemplateParams; Body: DeviceTemplateInput }>(
    '/deviceTemplates/:deviceTemplateId',
    write('DeviceTemplates_Create'),
    async (request) => toCentralTemplate(await templates.put(request.params.deviceTemplateId, request.body)),
  );

  app.patch<{ Params: TemplateParams; Body: DeviceTemplateInput }>(
    '/deviceTemplates/:deviceTemplateId',
    write('DeviceTemplates_Update'),
    async (request) => {
      checkPatched(request, 'DeviceTemplates_Create', toCentralTemplate(templates.get(request.params.deviceTemplateId)), request.body);
      return toCentralTemplate(await templates.update(request.params.deviceTemplateId, request.body, ifMatchOf(request)));
    },
  );

  app.delete<{ Params: TemplateParams }>('/deviceTemplates/:deviceTemplateId', write('DeviceTemplates_Remove'), async (request, reply) => {
    await templates.remove(request.params.deviceTemplateId);
    return reply.code(204).send();
  });
}
