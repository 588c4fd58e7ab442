import type { ApiTokens } from './api-tokens.js';
import type { AwsServices } from './aws/aws-services.js';
import type { CentralJobs } from './central/central-jobs.js';
import type { JobScheduler } from './central/scheduled-jobs.js';
import type { DeviceServices } from './devices/device-services.js';
import type { EmulatorState } from './emulator-state.js';
import type { HubDevices } from './hub/hub-devices.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { LocalS3 } from './s3/local-s3.js';
import type { SimulationSettings } from './simulation-settings.js';
import type { SimulationClock } from './simulation-clock.js';

/** Everything the API layer may call, built once by host.ts. */
export interface Services extends DeviceServices {
  clock: SimulationClock;
  tokens: ApiTokens;
  /** Every job, whichever API made it. */
  jobs: JobEngine;
  /** IoT Central's own jobs and its scheduled jobs. */
  centralJobs: CentralJobs;
  scheduler: JobScheduler;
  simulation: SimulationSettings;
  state: EmulatorState;
  /** The AWS IoT registry and jobs. */
  aws: AwsServices;
  /** The local S3 (job documents, OTA files), served under /s3. */
  s3: LocalS3;
  /** Real devices on IoT Hub's device API (DPS, twins, methods) over MQTT. */
  hub: HubDevices;
}
