// Builds what `npm start` / `npm run serve` need when it is missing or older than its sources.
// --force rebuilds everything; --quiet prints only when something is built.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const p = (...parts) => path.join(root, ...parts);
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const quiet = args.has('--quiet');

function newestMtime(file) {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(file).map((entry) => newestMtime(path.join(file, entry))));
}

function node(...commandArgs) {
  execFileSync(process.execPath, commandArgs, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

const steps = [
  {
    label: 'the emulator',
    // tsc --incremental trusts its build info even when outputs were deleted, so outputs are checked too.
    stamp: p('dist', '.tsbuildinfo'),
    outputs: [p('dist', 'electron', 'cli.js'), p('dist', 'electron', 'launch.js'), p('dist', 'electron', 'main.js')],
    inputs: [p('electron'), p('simulator'), p('bench'), p('tsconfig.json'), p('package.json')],
    build: () => {
      node(p('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json');
      // Packaged apps keep dist/simulator outside the asar archive, away from the root package.json that makes it ESM.
      if (existsSync(p('dist', 'simulator'))) writeFileSync(p('dist', 'simulator', 'package.json'), '{ "type": "module" }\n');
    },
  },
  {
    label: 'the preload script',
    stamp: p('dist', 'preload', '.tsbuildinfo'),
    outputs: [p('dist', 'preload', 'preload.js'), p('dist', 'preload', 'package.json')],
    inputs: [p('electron', 'preload.ts'), p('tsconfig.preload.json'), p('tsconfig.json')],
    build: () => {
      node(p('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.preload.json');
      // The package is ESM, but a sandboxed preload must be a CommonJS script.
      writeFileSync(p('dist', 'preload', 'package.json'), '{ "type": "commonjs" }\n');
    },
  },
  {
    label: 'the UI',
    when: existsSync(p('renderer', 'vite.config.ts')),
    stamp: p('dist', 'renderer', 'index.html'),
    outputs: [],
    inputs: [p('renderer'), p('package.json')],
    build: () => node(p('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'),
  },
];

let built = false;
for (const step of steps) {
  if (step.when === false) continue;
  const complete = existsSync(step.stamp) && step.outputs.every((output) => existsSync(output));
  if (!force && complete && Math.max(...step.inputs.map(newestMtime)) <= statSync(step.stamp).mtimeMs) continue;
  if (!complete || force) rmSync(step.stamp, { force: true });
  console.log(`Fleetlab: building ${step.label}…`);
  try {
    step.build();
  } catch {
    rmSync(step.stamp, { force: true });
    console.error(`Fleetlab: building ${step.label} failed; see the messages above.`);
    process.exit(1);
  }
  if (existsSync(step.stamp)) utimesSync(step.stamp, new Date(), new Date());
  built = true;
}
if (!built && !quiet) console.log('Fleetlab: the build is up to date.');
