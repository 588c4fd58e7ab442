import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const config = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration;

/** A miniature checkout: each file either breaks one layer rule or shows an import the rules allow. */
const PROBES: Record<string, string> = {
  'electron/main.ts': "import { app } from 'electron';\nexport const shell = app;\n",
  'electron/cli.ts': "import { app } from 'electron';\nexport const cli = app;\n",
  'electron/host.ts': "import { helper } from '../test/helpers/helper.js';\nexport const host = helper;\n",
  'electron/api/routes.ts': "import { rule } from '../domain/rule.js';\nexport const routes = rule;\n",
  'electron/api/central/generated/spec.ts': 'export interface Paths { jobs: string }\n',
  'electron/api/control/schema/jobs.ts': 'export const JOB_SCHEMA = { type: "object" };\nexport type Job = { id: string };\n',
  'electron/domain/rule.ts': 'export const rule = 1;\nexport type Rule = typeof rule;\n',
  'electron/domain/http.ts': "import Fastify from 'fastify';\nexport const http = Fastify;\n",
  'electron/domain/pool.ts': "import Piscina from 'piscina';\nexport const pool = Piscina;\n",
  'electron/domain/uses-api.ts': "import { routes } from '../api/routes.js';\nexport const usesApi = routes;\n",
  'electron/domain/ping.ts': "import { pong } from './pong.js';\nexport const ping = () => pong;\n",
  'electron/domain/pong.ts': "import { ping } from './ping.js';\nexport const pong = () => ping;\n",
  'electron/store/records.ts': "import type { Rule } from '../domain/rule.js';\nexport type Record = { rule: Rule };\n",
  'simulator/types.ts': "import type { Rule } from '../electron/domain/rule.js';\nexport type Task = Rule;\n",
  'simulator/task.ts': "import { rule } from '../electron/domain/rule.js';\nexport const task = rule;\n",
  'simulator/worker.ts': "import type { Job } from '../electron/api/control/schema/jobs.js';\nexport type Message = Job;\n",
  'renderer/src/typed.ts': "import type { Paths } from '../../electron/api/central/generated/spec.js';\nimport type { Job } from '../../electron/api/control/schema/jobs.js';\nexport type View = Paths | Job;\n",
  'renderer/src/domain-types.ts': "import type { Rule } from '../../electron/domain/rule.js';\nexport type Shown = Rule;\n",
  'renderer/src/schema-value.ts': "import { JOB_SCHEMA } from '../../electron/api/control/schema/jobs.js';\nexport const schema = JOB_SCHEMA;\n",
  'test/helpers/helper.ts': 'export const helper = 1;\n',
};

const dir = mkdtempSync(path.join(tmpdir(), 'fleetlab-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function violations(): Promise<string[]> {
  for (const [file, text] of Object.entries(PROBES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const { tsConfig: _ownTsConfig, ...options } = config.options ?? {};
  const result = await cruise(['electron', 'simulator', 'renderer', 'test'], {
    ...options,
    baseDir: dir,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
    outputType: 'json',
  });
  const output = (typeof result.output === 'string' ? JSON.parse(result.output) : result.output) as ICruiseResult;
  return output.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} -> ${to.replace(/^.*node_modules\/([^/]+)\/.*$/, '$1')}`).sort();
}

describe('the import boundaries (.dependency-cruiser.cjs)', () => {
  it('refuse each forbidden import and allow the ones the layers permit', async () => {
    expect(await violations()).toEqual(
      [
        'electron-only-in-the-shell: electron/cli.ts -> electron',
        'domain-without-http-or-workers: electron/domain/http.ts -> fastify',
        'domain-without-http-or-workers: electron/domain/pool.ts -> piscina',
        'domain-without-api: electron/domain/uses-api.ts -> electron/api/routes.ts',
        // A cycle is reported once, from where the cruise first meets it.
        'no-circular: electron/domain/ping.ts -> electron/domain/pong.ts',
        'store-without-domain-or-api: electron/store/records.ts -> electron/domain/rule.ts',
        'simulator-types-only-from-the-core: simulator/task.ts -> electron/domain/rule.ts',
        'simulator-without-api: simulator/worker.ts -> electron/api/control/schema/jobs.ts',
        'renderer-only-generated-types: renderer/src/domain-types.ts -> electron/domain/rule.ts',
        'renderer-schema-imports-type-only: renderer/src/schema-value.ts -> electron/api/control/schema/jobs.ts',
        'product-without-tests: electron/host.ts -> test/helpers/helper.ts',
      ].sort(),
    );
  });
});
