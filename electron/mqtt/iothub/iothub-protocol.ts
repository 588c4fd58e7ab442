import type { DeviceProtocol } from '../device-protocol.js';
import { IOT_HUB_WEBSOCKET_PATH } from '../device-listeners.js';
import { DPS_USERNAME, openDpsSession, type DpsContext } from './dps-session.js';
import { HUB_USERNAME, openHubSession } from './hub-session.js';

/** DPS and IoT Hub's device API on the broker, told apart by the username's shape. */
export function iotHubProtocol(context: DpsContext): DeviceProtocol {
  return {
    name: 'iothub',
    websocketPaths: [IOT_HUB_WEBSOCKET_PATH],
    claims: ({ username }) => username !== undefined && (DPS_USERNAME.test(username) || HUB_USERNAME.test(username)),
    async open(attempt, link) {
      const username = attempt.username!;
      if (DPS_USERNAME.test(username)) return openDpsSession(context, username, attempt.password, link);
      return openHubSession(context, attempt.clientId, username, attempt.password, link);
    },
  };
}
