import { parseArgs } from 'node:util';

/** The figure groups, in the order a full run measures them. */
export const FIGURE_GROUPS = ['start', 'emulator', 'store-writes', 'aws-registry', 'dynamic-group', 'large-job', 'checkpoints', 'ui', 'dispatch', 'real-devices'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

const HELP = `Usage: npm run bench -- [options]

Measures Fleetlab against its performance targets and prints a table (figure | measured | target | ok?).
A missed target is reported in the table; the exit code is non-zero only when a measurement could not run.

Options:
  --devices <n>        fleet size for the job figures (default 1000000)
  --large-devices <n>  fleet size for the large-job, restart and checkpoint figures (default 10000000)
  --poll-seconds <n>   duration of the 200-client polling figure (default 60)
  --poll-clients <n>   concurrent polling clients (default 200)
  --start-runs <n>     headless starts to time (default 5)
  --device-puts <n>    PUT /api/devices/{id} calls one after another for the write-growth figure (default 100000)
  --real-devices <n>   devices on Microsoft's SDK connecting at once over MQTT for the real-device figures (default 1000)
  --only <names>       run only these figure groups (comma-separated): ${FIGURE_GROUPS.join(', ')}
  --update-docs        also write the table into docs/performance.md (run from the repository root; not with --only)`;

/** What a bench run measures, from its command line. */
export interface BenchOptions {
  devices: number;
  deviceLabel: string;
  largeDevices: number;
  largeLabel: string;
  pollSeconds: number;
  pollClients: number;
  startRuns: number;
  devicePuts: number;
  realDevices: number;
  updateDocs: boolean;
  runs(group: FigureGroup): boolean;
}

function readFlags() {
  try {
    return parseArgs({
      options: {
        devices: { type: 'string', default: '1000000' },
        'large-devices': { type: 'string', default: '10000000' },
        'poll-seconds': { type: 'string', default: '60' },
        'poll-clients': { type: 'string', default: '200' },
        'start-runs': { type: 'string', default: '5' },
        'device-puts': { type: 'string', default: '100000' },
        'real-devices': { type: 'string', default: '1000' },
        only: { type: 'string' },
        'update-docs': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`bench: ${(error as Error).message}; see --help`);
    process.exit(2);
  }
}

/** The run's options; prints the help or a bad flag's message and exits instead when the command line asks for it. */
export function readOptions(): BenchOptions {
  const flags = readFlags();
  if (flags.help) {
    console.log(HELP);
    process.exit(0);
  }
  const count = (name: keyof typeof flags) => {
    const value = Number(flags[name]);
    if (Number.isInteger(value) && value >= 1) return value;
    console.error(`bench: --${name} must be a positive integer, got "${String(flags[name])}"`);
    process.exit(2);
  };
  const only = flags.only?.split(',').map((name) => name.trim());
  const unknownGroup = only?.find((name) => !(FIGURE_GROUPS as readonly string[]).includes(name));
  if (unknownGroup !== undefined || (only && flags['update-docs'])) {
    console.error(unknownGroup !== undefined ? `bench: unknown figure group "${unknownGroup}"; see --help` : 'bench: --update-docs writes the whole table, so it needs the full run (no --only)');
    process.exit(2);
  }
  const runs = (group: FigureGroup) => only === undefined || only.includes(group);
  const devices = count('devices');
  const pollSeconds = count('poll-seconds');
  const pollClients = count('poll-clients');
  const startRuns = count('start-runs');
  const devicePuts = count('device-puts');
  const deviceLabel = devices.toLocaleString('en-US');
  const largeDevices = count('large-devices');
  const largeLabel = largeDevices.toLocaleString('en-US');
  const realDevices = count('real-devices');
  return {
    devices,
    deviceLabel,
    largeDevices,
    largeLabel,
    pollSeconds,
    pollClients,
    startRuns,
    devicePuts,
    realDevices,
    updateDocs: flags['update-docs'],
    runs,
  };
}
