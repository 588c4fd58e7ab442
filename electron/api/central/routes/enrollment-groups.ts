import type { FastifyInstance } from 'fastify';
import { CentralError } from '../errors.js';
import { centralRoute } from '../route-schema.js';
import type { ResponseBody } from '../wire-types.js';

interface GroupParams {
  enrollmentGroupId: string;
}

/** IoT Central's default SAS enrollment group for IoT devices; devices' keys derive from its keys. */
const DEFAULT_GROUP = { id: 'SAS-IoT-Devices', displayName: 'SAS-IoT-Devices', type: 'iot' } as const;

/** Enrollment groups: the default symmetric-key group real devices provision through (docs/devices.md). */
export async function enrollmentGroupRoutes(app: FastifyInstance): Promise<void> {
  const { credentials } = app.services;
  const group = () => ({
    ...DEFAULT_GROUP,
    enabled: true,
    attestation: { type: 'symmetricKey', symmetricKey: credentials.groupKeys() },
    etag: `"${credentials.idScope()}"`,
  });

  app.get<{ Reply: ResponseBody<'EnrollmentGroups_List'> }>('/enrollmentGroups', centralRoute('EnrollmentGroups_List', 'read'), async () => ({ value: [group()] }));

  app.get<{ Params: GroupParams; Reply: ResponseBody<'EnrollmentGroups_Get'> }>(
    '/enrollmentGroups/:enrollmentGroupId',
    centralRoute('EnrollmentGroups_Get', 'read'),
    async (request) => {
      if (request.params.enrollmentGroupId !== DEFAULT_GROUP.id) throw new CentralError('NotFound', `Enrollment group "${request.params.enrollmentGroupId}" not found.`);
      return group();
    },
  );
}
