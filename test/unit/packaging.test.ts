import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Packager, type Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = 'build/electron-builder.config.cjs';

type Stat = { isDirectory(): boolean };
type Filter = (file: string, stat: Stat) => boolean;
interface FileMatcher {
  createFilter(): Filter;
}
// electron-builder's own matchers (internal to app-builder-lib, reached from electron-builder's location).
const fileMatchers = createRequire(createRequire(import.meta.url).resolve('electron-builder'))('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(appDir: string, destination: string, macroExpander: (pattern: string) => string, platformOptions: object, platformPackager: { info: Packager }, outDir: string, isElectronCompile: boolean): FileMatcher[];
  getFileMatchers(config: Configuration, name: 'asarUnpack', destination: string, options: { macroExpander: (pattern: string) => string; customBuildOptions: object; globalOutDir: string; defaultSrc: string }): FileMatcher[] | null;
};

const asFile: Stat = { isDirectory: () => false };
const asDirectory: Stat = { isDirectory: () => true };

describe('electron-builder configuration', () => {
  let packager: Packager;
  let packaged: Filter;
  let unpacked: Filter;

  beforeAll(async () => {
    packager = new Packager({ projectDir: root, config: CONFIG });
    await packager.validateConfig();
    const outDir = path.resolve(root, packager.config.directories?.output ?? 'dist');
    const identity = (pattern: string) => pattern;
    const platformOptions = packager.config.linux ?? {};
    const main = fileMatchers.getMainFileMatchers(packager.appDir, '/app', identity, platformOptions, { info: packager }, outDir, false);
    expect(main).toHaveLength(1);
    packaged = main[0]!.createFilter();
    const unpack = fileMatchers.getFileMatchers(packager.config, 'asarUnpack', '/app', {
      macroExpander: identity,
      customBuildOptions: platformOptions,
      globalOutDir: outDir,
      defaultSrc: packager.appDir,
    });
    unpacked = unpack![0]!.createFilter();
  });

  /** Whether electron-builder copies this project file into the app: it descends only into folders its filter keeps. */
  const ships = (relative: string) => {
    const parts = relative.split('/');
    const folders = parts.slice(0, -1).map((_, index) => path.join(root, ...parts.slice(0, index + 1)));
    return folders.every((folder) => packaged(folder, asDirectory)) && packaged(path.join(root, relative), asFile);
  };
  const isUnpacked = (relative: string) => unpacked(path.join(root, relative), asFile);

  it("passes electron-builder's own validation and names the app", () => {
    expect(packager.config.appId).toBe('dev.fleetlab.app');
    expect(packager.config.productName).toBe('Fleetlab');
    expect(packager.config.directories?.output).toBe('release');
  });

  it('is really validated: a misspelt option is rejected', async () => {
    const config = { ...(createRequire(import.meta.url)(path.join(root, CONFIG)) as Configuration), appid: 'typo' };
    await expect(new Packager({ projectDir: root, config }).validateConfig()).rejects.toThrow(/appid/);
  });

  it('builds the installers users expect on each platform', () => {
    const targets = (options: { target?: unknown } | null | undefined) => JSON.stringify(options?.target);
    expect(targets(packager.config.linux)).toContain('AppImage');
    expect(targets(packager.config.linux)).toContain('deb');
    expect(targets(packager.config.win)).toContain('nsis');
    expect(targets(packager.config.mac)).toContain('dmg');
  });

  it('has an icon electron-builder can turn into every platform format (a PNG of at least 512 px)', () => {
    const png = readFileSync(path.join(packager.buildResourcesDir, 'icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(Math.min(png.readUInt32BE(16), png.readUInt32BE(20))).toBeGreaterThanOrEqual(512);
  });

  it('ships the compiled main process, preload, UI and simulator worker', () => {
    const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
    for (const file of [main, 'dist/electron/host.js', 'dist/preload/preload.js', 'dist/preload/package.json', 'dist/renderer/index.html', 'dist/simulator/worker.js', 'dist/simulator/package.json', 'electron/api/central/spec/2022-07-31.iotcentral.json', 'package.json']) {
      expect(ships(file), file).toBe(true);
    }
  });

  it('leaves sources, tests, source maps and build info out', () => {
    for (const file of ['electron/main.ts', 'test/unit/packaging.test.ts', 'renderer/index.html', 'scripts/build.mjs', 'dist/electron/main.js.map', 'dist/.tsbuildinfo', 'dist/bench/run.js', 'release/linux-unpacked/fleetlab', 'package-lock.json']) {
      expect(ships(file), file).toBe(false);
    }
  });

  it('keeps the simulator worker and piscina outside the asar archive, and the rest inside', () => {
    expect(isUnpacked('dist/simulator/worker.js')).toBe(true);
    // Unpacked, the worker is away from the root package.json; its own one keeps it ESM.
    expect(isUnpacked('dist/simulator/package.json')).toBe(true);
    expect(isUnpacked('node_modules/piscina/dist/worker.js')).toBe(true);
    expect(isUnpacked('dist/electron/main.js')).toBe(false);
    expect(isUnpacked('dist/renderer/index.html')).toBe(false);
  });

  it('keeps the built simulator worker ESM once unpacked from the archive', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'dist', 'simulator', 'package.json'), 'utf8')) as { type?: string };
    expect(manifest.type).toBe('module');
  });

  it('ships every file of the current build (npm run build) except maps and build info', () => {
    const walk = (dir: string): string[] =>
      readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`],
      );
    const files = walk('dist').filter((file) => !file.endsWith('.map') && !file.endsWith('.tsbuildinfo') && !file.startsWith('dist/bench/'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((file) => !ships(file))).toEqual([]);
  });
});
