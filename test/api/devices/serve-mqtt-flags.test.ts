import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../helpers/emulator-process.js';
import { CLI } from '../../helpers/serve-process.js';

/** `fleetlab serve` and its MQTT flags, as a user runs them. */
describe('fleetlab serve --mqtt-port', () => {
  let dir: string;
  let taken: Server;
  let takenPort: number;

  beforeAll(async () => {
    buildDist();
    dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-mqtt-flags-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const serve = (...args: string[]) => spawnSync(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', path.join(dir, 'data'), ...args], { encoding: 'utf8', timeout: 20_000 });

  it('says in one line which MQTT port is taken and which flag picks another, exit code 2', () => {
    for (const [args, flag] of [
      [['--mqtt-port', String(takenPort)], '--mqtt-port'],
      [['--mqtt-plain', '--mqtt-plain-port', String(takenPort)], '--mqtt-plain-port'],
    ] as const) {
      const run = serve(...args);
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(`fleetlab: MQTT port ${takenPort} is already in use; pick another with ${flag} (0 picks a free one)`);
    }
  });

  it('refuses a port that is not a number', () => {
    const run = serve('--mqtt-port', 'eighty');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('fleetlab: --mqtt-port must be a number from 0 to 65535, got "eighty"');
  });
});
