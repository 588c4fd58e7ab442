// Builds what `npm start` / `npm run serve` need when it is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));
const force = args.has('--force');
const quiet = args.has('--quiet');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function stale(output, inputs) {
  if (force || !existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return inputs.some((input) => (existsSync(input) && statSync(input).isDirectory() ? newestMtime(input) : existsSync(input) ? statSync(input).mtimeMs : 0) > built);
}

function run(label, command, commandArgs) {
  if (!quiet || !force) console.log(`Fleetlab: building ${label}…`);
  execFileSync(process.execPath, [path.join(root, 'node_modules', command), ...commandArgs], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

const p = (...parts) => path.join(root, ...parts);
if (stale(p('dist', 'electron', 'cli.js'), [p('electron'), p('simulator'), p('tsconfig.json'), p('package.json')])) {
  run('the emulator', 'typescript/bin/tsc', ['-p', 'tsconfig.json']);
}
