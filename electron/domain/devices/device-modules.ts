import { notFound } from '../errors.js';
import type { DeviceCatalog } from './device-catalog.js';

/** IoT Edge modules. Fleetlab simulates plain IoT devices, which have none. */
export class DeviceModules {
  constructor(private readonly catalog: DeviceCatalog) {}

  list(deviceId: string): never[] {
    this.catalog.require(deviceId);
    return [];
  }

  /** Every operation on a named module ends here: the device exists (or 404s as a device), the module never does. */
  require(deviceId: string, moduleName: string): never {
    this.catalog.require(deviceId);
    throw notFound('Module', moduleName);
  }
}
