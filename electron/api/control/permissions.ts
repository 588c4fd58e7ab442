import type { RouteOptions } from 'fastify';
import type { Permission } from '../../domain/roles.js';

/**
 * The permission every /_fleetlab route needs, by `METHOD /path` below the prefix. One table rather than a config
 * on each route, so that the whole control API's authorization reads (and is documented, docs/api.md) in one place.
 * Reading is `read`; changing how the fleet is simulated is `controlSimulation`; starting and cancelling jobs is
 * `runJobs`, as IoT Central operators may; whatever resets, replaces or exports the whole emulator, or shows other
 * callers' requests and responses, is `administer`.
 */
const CONTROL_PERMISSIONS = new Map<string, Permission>([
  ['GET /info', 'read'],
  ['GET /events', 'read'],
  ['GET /ca.pem', 'read'],
  ['GET /connected-devices', 'read'],

  ['GET /simulation', 'read'],
  ['PUT /simulation', 'controlSimulation'],
  ['POST /clock/advance', 'controlSimulation'],

  ['GET /fleet', 'read'],
  ['POST /fleet', 'controlSimulation'],
  ['GET /fleet/summary', 'read'],
  ['GET /devices', 'read'],
  ['POST /groups/preview', 'read'],
  ['GET /scheduled-jobs/next-runs', 'read'],

  ['GET /templates/:templateId/behavior', 'read'],
  ['PUT /templates/:templateId/behavior', 'controlSimulation'],
  ['GET /devices/:deviceId/behavior', 'read'],
  ['PUT /devices/:deviceId/behavior', 'controlSimulation'],
  ['GET /templates/:templateId/capabilities', 'read'],

  ['GET /jobs/:jobId/devices', 'read'],
  ['GET /jobs/:jobId/outcomes', 'read'],
  ['POST /jobs/dry-run', 'read'],

  ['GET /aws/thing-groups', 'read'],
  ['GET /aws/jobs', 'read'],
  ['GET /aws/jobs/:jobId', 'read'],
  ['GET /aws/jobs/:jobId/executions', 'read'],
  ['POST /aws/jobs', 'runJobs'],
  ['POST /aws/jobs/dry-run', 'read'],
  ['POST /aws/jobs/:jobId/cancel', 'runJobs'],
  ['PUT /aws/files/:bucket/:key', 'runJobs'],

  ['POST /reset', 'administer'],
  ['GET /snapshot', 'administer'],
  ['PUT /snapshot', 'administer'],
  ['GET /requests', 'administer'],
  ['GET /requests/:requestId', 'administer'],
  ['DELETE /requests', 'administer'],
  ['POST /session-codes', 'administer'],
]);

/** The catch-all routes that answer unknown paths need no permission: any authenticated caller gets their 404. */
const UNKNOWN_ROUTE_PATHS = new Set(['', '/', '/*']);

/**
 * An onRoute hook: gives each control route its permission from the table, and fails at startup for a route the
 * table does not name, so that no control route is ever served unauthorized.
 */
export function assignControlPermission(route: RouteOptions & { routePath: string }): void {
  const path = route.routePath;
  if (UNKNOWN_ROUTE_PATHS.has(path)) return;
  // Fastify adds a HEAD route for every GET route, with the same handler.
  const methods = [route.method].flat().map((method) => (method === 'HEAD' ? 'GET' : method));
  const permissions = new Set(methods.map((method) => CONTROL_PERMISSIONS.get(`${method} ${path}`)));
  const [permission] = permissions;
  if (permissions.size !== 1 || permission === undefined) {
    throw new Error(`The control route ${methods.join(',')} ${path} has no permission in CONTROL_PERMISSIONS (electron/api/control/permissions.ts).`);
  }
  route.config = { ...route.config, permission };
}
