import type { ApiTokens } from './api-tokens.js';
import type { AwsServices } from './aws/aws-services.js';
import type { DeviceServices } from './devices/device-services.js';
import type { EmulatorState } from './emulator-state.js';
import type { HubDevices } from './hub/hub-devices.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { JobScheduler } from './jobs/scheduler.js';
import type { SimulationSettings } from './simulation-settings.js';
import type { SimulationClock } from './simulation-clock.js';

/** Everything the API layer may call, built once by host.ts. */
export interface Services extends DeviceServices {
  clock: SimulationClock;
  tokens: ApiTokens;
  jobs: JobEngine;
  scheduler: JobScheduler;
  simulation: SimulationSettings;
  state: EmulatorState;
  /** The AWS IoT dialect's registry and jobs. */
  aws: AwsServices;
  /** Real devices on IoT Hub's device API (DPS, twins, methods) over MQTT. */
  hub: HubDevices;
}
