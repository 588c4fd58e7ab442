import type { ApiTokens } from './api-tokens.js';
import type { Clock } from './clock.js';
import type { JobCatalog } from './job-catalog.js';

/** Everything the API layer may call, built once by host.ts. */
export interface Services {
  clock: Clock;
  tokens: ApiTokens;
  jobs: JobCatalog;
}
