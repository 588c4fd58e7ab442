import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AttestationInput } from '../../../domain/devices/device-attestations.js';
import type { RelationshipInput } from '../../../domain/devices/device-relationships.js';
import { CentralError } from '../errors.js';
import { checkPatched } from '../merge-patch.js';
import { versionEndsPathWithSlash } from '../nearest-spec.js';
import { pageRequest, toPage } from '../paging.js';
import { noOperation } from '../unknown-routes.js';
import { centralRoute } from '../route-schema.js';
import type { RequestBody, ResponseBody } from '../wire-types.js';

interface DeviceParams {
  deviceId: string;
}
interface RelationshipParams extends DeviceParams {
  relationshipId: string;
}

/** How a device connects: its DPS attestation and credentials, and its gateway relationships. */
export async function deviceIdentityRoutes(app: FastifyInstance): Promise<void> {
  const { attestations, credentials, relationships } = app.services;
  const read = (operation: string) => centralRoute(operation, 'read');
  const write = (operation: string) => centralRoute(operation, 'manageDevices');

  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_GetAttestation'> }>(
    '/devices/:deviceId/attestation',
    read('Devices_GetAttestation'),
    async (request) => attestations.get(request.params.deviceId),
  );

  app.put<{ Params: DeviceParams; Body: RequestBody<'Devices_CreateAttestation'>; Reply: ResponseBody<'Devices_CreateAttestation'> }>(
    '/devices/:deviceId/attestation',
    write('Devices_CreateAttestation'),
    async (request) => attestations.put(request.params.deviceId, request.body),
  );

  app.patch<{ Params: DeviceParams; Body: Record<string, unknown> }>(
    '/devices/:deviceId/attestation',
    write('Devices_UpdateAttestation'),
    async (request) => {
      const patched = checkPatched(request, 'Devices_CreateAttestation', attestations.get(request.params.deviceId), request.body);
      return attestations.put(request.params.deviceId, patched as AttestationInput);
    },
  );

  app.delete<{ Params: DeviceParams }>('/devices/:deviceId/attestation', write('Devices_RemoveAttestation'), async (request, reply) => {
    await attestations.remove(request.params.deviceId);
    return reply.code(204).send();
  });

  app.get<{ Params: DeviceParams }>('/devices/:deviceId/credentials', read('Devices_GetCredentials'), async (request) =>
    credentials.credentials(request.params.deviceId),
  );

  const listRelationships = (request: FastifyRequest<{ Params: DeviceParams }>) => {
    const all = relationships.list(request.params.deviceId);
    return toPage(request, pageRequest(request), all.length, (start, end) => all.slice(start, end));
  };
  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_ListRelationships'> }>(
    '/devices/:deviceId/relationships',
    read('Devices_ListRelationships'),
    async (request) => listRelationships(request),
  );
  // 1.2-preview's file spells this path `/devices/{deviceId}/relationships/`; elsewhere the slash leaves an empty id.
  app.get<{ Params: DeviceParams; Reply: ResponseBody<'Devices_ListRelationships'> }>(
    '/devices/:deviceId/relationships/',
    read('Devices_ListRelationships'),
    async (request) => {
      if (!versionEndsPathWithSlash(request.apiVersion, 'Devices_ListRelationships')) throw new CentralError('NotFound', noOperation(request));
      return listRelationships(request);
    },
  );

  app.get<{ Params: RelationshipParams; Reply: ResponseBody<'Devices_GetRelationship'> }>(
    '/devices/:deviceId/relationships/:relationshipId',
    read('Devices_GetRelationship'),
    async (request) => relationships.get(request.params.deviceId, request.params.relationshipId),
  );

  app.put<{ Params: RelationshipParams; Body: RequestBody<'Devices_CreateRelationship'>; Reply: ResponseBody<'Devices_CreateRelationship'> }>(
    '/devices/:deviceId/relationships/:relationshipId',
    write('Devices_CreateRelationship'),
    async (request) => relationships.put(request.params.deviceId, request.params.relationshipId, request.body),
  );

  app.patch<{ Params: RelationshipParams; Body: Record<string, unknown> }>(
    '/devices/:deviceId/relationships/:relationshipId',
    write('Devices_UpdateRelationship'),
    async (request) => {
      const { deviceId, relationshipId } = request.params;
      const patched = checkPatched(request, 'Devices_CreateRelationship', relationships.get(deviceId, relationshipId), request.body);
      return relationships.update(deviceId, relationshipId, patched as RelationshipInput);
    },
  );

  app.delete<{ Params: RelationshipParams }>(
    '/devices/:deviceId/relationships/:relationshipId',
    write('Devices_RemoveRelationship'),
    async (request, reply) => {
      await relationships.remove(request.params.deviceId, request.params.relationshipId);
      return reply.code(204).send();
    },
  );
}
