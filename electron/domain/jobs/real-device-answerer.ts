import type { JobRecord } from './job-model.js';

/**
 * The seam between a job run and real devices: the run tells it which released devices the simulator does not
 * answer, and it answers for those it can reach (IoT Hub devices over MQTT) through JobEngine.reportExternal. Devices
 * it does not know (AWS external things, whose agents pull their executions) it leaves alone.
 */
export interface RealDeviceAnswerer {
  released(job: JobRecord, deviceIds: readonly string[]): void;
}
