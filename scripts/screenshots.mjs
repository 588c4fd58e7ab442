// Regenerates the README's screenshots (docs/screenshots/*.png): the browser tests save them only when asked.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['playwright', 'test', '--project=browser', ...process.argv.slice(2)], {
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, FLEETLAB_SCREENSHOTS: '1' },
});
process.exit(result.status ?? 1);
