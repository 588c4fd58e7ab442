import type { FastifyInstance } from 'fastify';
import { ifMatchOf } from '../if-match.js';
import { checkPatched } from '../merge-patch.js';
import { fromCentralTemplate, toCentralTemplate } from '../template-payload.js';
import { pageRequest, toPage } from '../paging.js';
import { rejectListOptions } from './list-options.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface TemplateParams {
  deviceTemplateId: string;
}

export async function deviceTemplateRoutes(app: FastifyInstance): Promise<void> {
  const { templates } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');
  const write = (operation: string) => centralRoute(operation, 'manageTemplates');

  app.get<{ Reply: ResponseBody<'DeviceTemplates_List'> }>('/deviceTemplates', read('DeviceTemplates_List'), async (request) => {
    rejectListOptions(request);
    const all = templates.list();
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end).map(toCentralTemplate));
  });

  app.get<{ Params: TemplateParams; Reply: ResponseBody<'DeviceTemplates_Get'> }>(
    '/deviceTemplates/:deviceTemplateId',
    read('DeviceTemplates_Get'),
    async (request) => toCentralTemplate(templates.get(request.params.deviceTemplateId)),
  );

  app.put<{ Params: TemplateParams; Body: RequestBody<'DeviceTemplates_Create'>; Reply: ResponseBody<'DeviceTemplates_Create'> }>(
    '/deviceTemplates/:deviceTemplateId',
    write('DeviceTemplates_Create'),
    async (request) => toCentralTemplate(await templates.put(request.params.deviceTemplateId, fromCentralTemplate(request.body))),
  );

  app.patch<{ Params: TemplateParams; Body: RequestBody<'DeviceTemplates_Update'>; Reply: ResponseBody<'DeviceTemplates_Update'> }>(
    '/deviceTemplates/:deviceTemplateId',
    write('DeviceTemplates_Update'),
    async (request) => {
      checkPatched(request, 'DeviceTemplates_Create', toCentralTemplate(templates.get(request.params.deviceTemplateId)), request.body);
      return toCentralTemplate(await templates.update(request.params.deviceTemplateId, fromCentralTemplate(request.body), ifMatchOf(request)));
    },
  );

  app.delete<{ Params: TemplateParams }>('/deviceTemplates/:deviceTemplateId', write('DeviceTemplates_Remove'), async (request, reply) => {
    await templates.remove(request.params.deviceTemplateId);
    return reply.code(204).send();
  });
}
