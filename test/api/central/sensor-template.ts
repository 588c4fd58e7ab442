/** A template with telemetry of each kind, a writable property and a component, for the device tests. */
export const SENSOR_TEMPLATE_ID = 'dtmi:fleetlab:sensor;1';
export const SENSOR_TEMPLATE = {
  '@type': ['ModelDefinition', 'DeviceModel'],
  displayName: 'Sensor',
  capabilityModel: {
    '@id': 'dtmi:fleetlab:sensorModel;1',
    '@type': 'Interface',
    contents: [
      { '@type': ['Telemetry', 'Temperature'], name: 'temperature', schema: 'double' },
      { '@type': 'Telemetry', name: 'mode', schema: { '@type': 'Enum', valueSchema: 'string', enumValues: [{ name: 'eco', enumValue: 'eco' }, { name: 'boost', enumValue: 'boost' }] } },
      { '@type': 'Property', name: 'firmware', schema: 'string' },
      {
        '@type': 'Component',
        name: 'battery',
        schema: { '@id': 'dtmi:fleetlab:battery;1', '@type': 'Interface', contents: [{ '@type': 'Telemetry', name: 'level', schema: { '@type': 'Object', fields: [{ name: 'percent', schema: 'integer' }, { name: 'charging', schema: 'boolean' }] } }] },
      },
    ],
  },
};
