import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/serve-process.js';

/** The packed tarball, installed with npm into an empty project as a user installs it (dependencies from the registry). */
describe('npx fleetlab from the packed tarball', () => {
  let work: string;
  let app: string;
  let packed: string[];

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'fleetlab-pack-'));
    const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    const [summary] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packed = summary!.files.map((file) => file.path);
    app = path.join(work, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'uses-fleetlab', private: true }));
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', path.join(work, summary!.filename)], { cwd: app, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds the built emulator, the UI and the spec files, and no sources, tests or source maps', () => {
    for (const file of ['package.json', 'dist/electron/cli.js', 'dist/simulator/worker.js', 'dist/renderer/index.html', 'electron/api/central/spec/2022-07-31.iotcentral.json']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((file) => /^(test|electron\/.*\.ts$|renderer\/)|\.map$/.test(file))).toEqual([]);
  });

  it('answers npx fleetlab --version and --help', () => {
    const npx = (...args: string[]) => spawnSync('npx', ['--no-install', 'fleetlab', ...args], { cwd: app, encoding: 'utf8' });
    const version = npx('--version');
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const help = npx('--help');
    expect(help.stdout).toContain('Usage: fleetlab serve [options]');
    expect(help.stdout).toContain('--https');
  });

  it('starts with npx fleetlab serve --port 0, and the API answers', async () => {
    const token = 'SharedAccessSignature sr=npx&sig=npx&skn=npx&se=4102444800000';
    const child = spawn('npx', ['--no-install', 'fleetlab', 'serve', '--port', '0', '--data-dir', path.join(work, 'data')], {
      cwd: app,
      env: { ...process.env, FLEETLAB_API_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: npx runs the emulator as a child that must stop with it.
      detached: true,
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let url: string | undefined;
    try {
      url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', (line) => {
          const match = /^Fleetlab listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
          if (match) resolve(match[1]!);
          else reject(new Error(`first line was "${line}"`));
        });
        child.once('exit', () => reject(new Error('npx fleetlab serve exited before listening')));
      });
      const res = await fetch(`${url}/api/jobs?api-version=2022-07-31`, { headers: { authorization: token } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ value: [] });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      if (url) await expect.poll(() => fetch(url!).then(() => 'answering', () => 'stopped'), { message: 'the emulator started by npx has stopped' }).toBe('stopped');
    }
  });
});
