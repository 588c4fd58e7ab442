import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../domain/services.js';
import { CentralError } from '../errors.js';

interface GroupParams {
  enrollmentGroupId: string;
}

/** IoT Central's default SAS enrollment group for IoT devices; devices' keys derive from its keys. */
const DEFAULT_GROUP = { id: 'SAS-IoT-Devices', displayName: 'SAS-IoT-Devices', type: 'iot' } as const;

/** Enrollment groups: the default symmetric-key group real devices provision through (docs/devices.md). */
export async function enrollmentGroupRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const group = () => ({
    ...DEFAULT_GROUP,
    enabled: true,
    attestation: { type: 'symmetricKey', symmetricKey: services.credentials.groupKeys() },
    etag: `"${services.credentials.idScope()}"`,
  });

  app.get('/enrollmentGroups', { config: { operation: 'EnrollmentGroups_List', permission: 'read' } }, async () => ({ value: [group()] }));

  app.get<{ Params: GroupParams }>('/enrollmentGroups/:enrollmentGroupId', { config: { operation: 'EnrollmentGroups_Get', permission: 'read' } }, async (request) => {
    if (request.params.enrollmentGroupId !== DEFAULT_GROUP.id) throw new CentralError('NotFound', `Enrollment group "${request.params.enrollmentGroupId}" not found.`);
    return group();
  });
}
