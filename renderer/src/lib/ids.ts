/**
 * The id rules Fleetlab enforces, for refusing a form field or an import row before it is sent. Copies, not imports,
 * so that the renderer imports nothing of electron/ but generated types; test/api/central/renderer-id-rules.test.ts
 * checks each against what the API accepts.
 */

const MAX_DEVICE_ID_LENGTH = 128;
const DEVICE_ID = /^[a-zA-Z0-9-]+$/;
/** Jobs, scheduled jobs, device groups and API tokens (electron/domain/jobs/job-engine.ts, domain/api-tokens.ts). */
const RESOURCE_ID = /^[a-zA-Z0-9_-]{1,255}$/;
/** AWS IoT's JobId shape (1 to 64 of letters, digits, "_" and "-"). */
const AWS_JOB_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** Why `id` is not a device id (electron/domain/devices/device-catalog.ts assertDeviceId), undefined when it is one. */
export function deviceIdProblem(id: string): string | undefined {
  if (id === '') return 'The device id is empty.';
  if (!DEVICE_ID.test(id)) return 'The device id may only contain letters, digits and hyphens.';
  if (id.length > MAX_DEVICE_ID_LENGTH) return `The device id is longer than ${MAX_DEVICE_ID_LENGTH} characters.`;
  return undefined;
}

export const isResourceId = (id: string) => RESOURCE_ID.test(id);

export const isAwsJobId = (id: string) => AWS_JOB_ID.test(id);
