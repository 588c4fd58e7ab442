/** JSON Schema of a (partial) behaviour profile, shared by the simulation defaults and the per-template/device overrides. */
export const BEHAVIOR_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    propertyFailureRate: { type: 'number', minimum: 0, maximum: 1 },
    commandFailureRate: { type: 'number', minimum: 0, maximum: 1 },
    offlineRate: { type: 'number', minimum: 0, maximum: 1 },
    latencyMs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        min: { type: 'integer', minimum: 0, maximum: 3_600_000 },
        max: { type: 'integer', minimum: 0, maximum: 3_600_000 },
        mean: { type: 'integer', minimum: 1, maximum: 3_600_000 },
        p99: { type: 'integer', minimum: 1, maximum: 3_600_000 },
      },
    },
    commandTimeoutMs: { type: 'integer', minimum: 1, maximum: 86_400_000 },
    downloadMsPerMb: { type: 'integer', minimum: 0, maximum: 3_600_000 },
    downloadFailureRatePerMb: { type: 'number', minimum: 0, maximum: 1 },
  },
} as const;
