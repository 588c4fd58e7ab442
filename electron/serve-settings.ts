import { LOG_LEVELS, type LogLevel } from './api/logger.js';
import { UsageError } from './headless.js';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type EmulatorLimits } from './limits.js';

/** The `fleetlab serve` flags for logging and limits, in node:util parseArgs form. */
export const SETTING_FLAGS = Object.fromEntries(
  ['log-level', ...LIMIT_SETTINGS.map((setting) => setting.flag)].map((flag) => [flag, { type: 'string' as const }]),
);

/** Their --help lines. */
export const SETTING_HELP = [
  `  --log-level <level>        Fastify's request log as JSON on stderr: ${LOG_LEVELS.join(', ')} (default warn; info adds one line per request)`,
  ...LIMIT_SETTINGS.map(({ flag, field, meaning, min, max }) => `  --${`${flag} <n>`.padEnd(24)} ${meaning} (default ${DEFAULT_LIMITS[field]}, ${min}..${max})`),
].join('\n');

const SETTING_VARIABLES = ['FLEETLAB_LOG_LEVEL', ...LIMIT_SETTINGS.map((setting) => setting.env)];

export const SETTING_ENV_HELP = [
  `  ${SETTING_VARIABLES.slice(0, 4).join(', ')},`,
  `  ${SETTING_VARIABLES.slice(4).join(', ')}`,
  '                      the same as the flags above; a flag wins over its variable',
].join('\n');

/** Log level and limits from the flags, else their environment variables, else the defaults. */
export function serveSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv): { logLevel: LogLevel; limits: Partial<EmulatorLimits> } {
  const level = (values['log-level'] as string | undefined) ?? env.FLEETLAB_LOG_LEVEL ?? 'warn';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  const limits: Partial<EmulatorLimits> = {};
  for (const { field, flag, env: variable, min, max } of LIMIT_SETTINGS) {
    const text = (values[flag] as string | undefined) ?? env[variable];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
    limits[field] = value;
  }
  return { logLevel: level as LogLevel, limits };
}
