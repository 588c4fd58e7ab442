import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../domain/services.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The domain services every route calls, built once by host.ts. */
    services: Services;
  }
}

/**
 * Decorates the root instance with the domain services. Wrapped with fastify-plugin so that the decoration is not
 * encapsulated: every dialect plugin and route plugin registered after it reads `app.services`.
 */
export const servicesPlugin = fp(
  async (app: FastifyInstance, { services }: { services: Services }) => {
    app.decorate('services', services);
  },
  { name: 'fleetlab-services', fastify: '5.x' },
);
