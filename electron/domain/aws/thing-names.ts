import { invalid } from '../errors.js';

/**
 * AWS IoT's rule for thing names (the model's ThingName shape). A thing is a device of the shared fleet under the same
 * id, so the device catalog holds these ids too; only IoT Central's own device creation applies its stricter rule.
 */
const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

export function assertThingName(name: string): void {
  if (!THING_NAME.test(name)) throw invalid(`Thing name "${name}" is invalid: use 1 to 128 letters, digits, ":", "_" and "-".`);
}
