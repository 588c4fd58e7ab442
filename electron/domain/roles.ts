/** IoT Central's built-in roles, with the ids the service uses for them. */
export const ROLES = [
  { id: 'ca310b8d-2f4a-44e0-a36e-957c202cd8d4', displayName: 'App Administrator' },
  { id: '344138e9-8de4-4497-8c54-5237e96d6aaf', displayName: 'App Builder' },
  { id: 'ae2c9854-393b-4f97-8c42-479d70ce626e', displayName: 'App Operator' },
] as const;

export const ADMINISTRATOR = ROLES[0].id;
const BUILDER = ROLES[1].id;
const OPERATOR = ROLES[2].id;

/**
 * What a role may do. The first six are IoT Central's, for /api; `controlSimulation` (simulation settings, clock,
 * fleets, behaviour) and `administer` (reset, snapshots, the request log, browser session codes) are Fleetlab's own,
 * for /_fleetlab.
 */
export type Permission =
  | 'read'
  | 'runJobs'
  | 'manageDevices'
  | 'manageTemplates'
  | 'manageTokens'
  | 'manageOrganizations'
  | 'controlSimulation'
  | 'administer';

// A Map: role ids come from request bodies, and `constructor` must not name a role.
const GRANTS = new Map<string, readonly Permission[]>([
  [ADMINISTRATOR, ['read', 'runJobs', 'manageDevices', 'manageTemplates', 'manageTokens', 'manageOrganizations', 'controlSimulation', 'administer']],
  [BUILDER, ['read', 'runJobs', 'manageDevices', 'manageTemplates', 'controlSimulation']],
  [OPERATOR, ['read', 'runJobs', 'manageDevices']],
]);

export function roleAllows(roleIds: readonly string[], permission: Permission): boolean {
  return roleIds.some((role) => GRANTS.get(role)?.includes(permission) ?? false);
}

export function isKnownRole(roleId: string): boolean {
  return GRANTS.has(roleId);
}
