import type { FastifyInstance } from 'fastify';
import { CentralError } from '../../central/errors.js';
import { Text } from '../schema/info.js';

/** GET /ca.pem: the CA that signed Fleetlab's HTTPS certificate, for clients to trust (README, "HTTPS"). */
export async function caCertificateRoutes(app: FastifyInstance, { caCertificate }: { caCertificate?: string }): Promise<void> {
  app.get('/ca.pem', { schema: { response: { 200: Text } } }, async (request, reply) => {
    if (caCertificate === undefined) {
      const why = request.protocol === 'https' ? 'it serves HTTPS with the certificate given by --cert or --pfx' : 'it serves plain HTTP (start it with --https)';
      throw new CentralError('NotFound', `Fleetlab has no CA of its own: ${why}.`);
    }
    return reply.header('content-type', 'application/x-pem-file').header('content-disposition', 'attachment; filename="fleetlab-ca.pem"').send(caCertificate);
  });
}
