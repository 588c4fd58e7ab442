import type { AwsCredentials } from './sigv4.js';

/** What clients sign with when FLEETLAB_AWS_ACCESS_KEY_ID / FLEETLAB_AWS_SECRET_ACCESS_KEY are not set. */
export const DEFAULT_AWS_CREDENTIALS: AwsCredentials = { accessKeyId: 'fleetlab', secretAccessKey: 'fleetlab-secret' };

export function awsCredentialsFromEnv(env: Record<string, string | undefined>): AwsCredentials {
  return {
    accessKeyId: env.FLEETLAB_AWS_ACCESS_KEY_ID || DEFAULT_AWS_CREDENTIALS.accessKeyId,
    secretAccessKey: env.FLEETLAB_AWS_SECRET_ACCESS_KEY || DEFAULT_AWS_CREDENTIALS.secretAccessKey,
  };
}
