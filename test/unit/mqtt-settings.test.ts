import { describe, expect, it } from 'vitest';
import { mqttChoice } from '../../electron/mqtt-settings.js';

describe('fleetlab serve MQTT flags', () => {
  it('listens on 8883 by default, and on free ports when --port is 0', () => {
    expect(mqttChoice({}, 4780)).toEqual({ port: 8883 });
    expect(mqttChoice({}, 0)).toEqual({ port: 0 });
    expect(mqttChoice({ 'mqtt-plain': true }, 4780)).toEqual({ port: 8883, plainPort: 1883 });
    expect(mqttChoice({ 'mqtt-plain': true }, 0)).toEqual({ port: 0, plainPort: 0 });
  });

  it('takes explicit ports', () => {
    expect(mqttChoice({ 'mqtt-port': '18883', 'mqtt-plain': true, 'mqtt-plain-port': '11883' }, 0)).toEqual({ port: 18883, plainPort: 11883 });
  });

  it('names the flag that is wrong', () => {
    expect(() => mqttChoice({ 'mqtt-port': 'x' }, 0)).toThrow('--mqtt-port must be a number from 0 to 65535, got "x"');
    expect(() => mqttChoice({ 'mqtt-plain-port': '1883' }, 0)).toThrow('--mqtt-plain-port is the port of --mqtt-plain; give --mqtt-plain too');
  });
});
