import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startServeProcess, type ServeProcess } from '../../helpers/serve-process.js';

const TOKEN = 'SharedAccessSignature sr=recipes&sig=recipes&skn=recipes&se=4102444800000';
const FLEET = 250;

/** The README's recipes, by the name in the `<!-- recipe: name -->` comment above each code block. */
async function readmeRecipes(): Promise<Map<string, { language: string; code: string }>> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const recipes = new Map<string, { language: string; code: string }>();
  for (const match of readme.matchAll(/<!-- recipe: (\S+) -->\n```(\w+)\n([\s\S]*?)```/g)) recipes.set(match[1]!, { language: match[2]!, code: match[3]! });
  return recipes;
}

/** Why a client the recipe needs cannot run here, or undefined when it can. */
function missing(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return `${command} is not installed (${result.error.message})`;
  if (result.status !== 0) return `\`${command} ${args.join(' ')}\` failed: ${result.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

describe("the README's client recipes, against fleetlab serve --https", () => {
  let dataDir: string;
  let serve: ServeProcess;
  let recipes: Map<string, { language: string; code: string }>;
  let caPath: string;
  let caPem: string;

  /** Runs a recipe as written, on the emulator's real port, with the variables the README's start block exports. */
  function run(name: string): { stdout: string; stderr: string; status: number | null } {
    const recipe = recipes.get(name);
    if (!recipe) throw new Error(`README.md has no recipe "${name}"`);
    const port = new URL(serve.url).port;
    const code = recipe.code.replaceAll('127.0.0.1:4780', `127.0.0.1:${port}`).replaceAll('0.0.1:4780', `0.0.1:${port}`);
    const [command, args] = recipe.language === 'python' ? ['python3', ['-c', code]] : ['bash', ['-e', '-o', 'pipefail', '-c', code]];
    const result = spawnSync(command, args as string[], { encoding: 'utf8', env: { ...process.env, FLEETLAB_API_TOKEN: TOKEN, FLEETLAB_CA: caPath }, timeout: 120_000 });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status };
  }

  /** A setup request over HTTPS that trusts only the emulator's CA. */
  function send(pathname: string, body: unknown, method = 'POST'): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(`${serve.url}${pathname}`, { method, ca: caPem, headers: { authorization: TOKEN, 'content-type': 'application/json' } }, (res) => {
        res.resume().on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  beforeAll(async () => {
    recipes = await readmeRecipes();
    dataDir = await mkdtemp(path.join(tmpdir(), 'fleetlab-recipes-'));
    serve = await startServeProcess(dataDir, TOKEN, { args: ['--https'] });
    caPath = path.join(dataDir, 'tls', 'fleetlab-ca.pem');
    caPem = await readFile(caPath, 'utf8');
    const template = { '@type': ['ModelDefinition', 'DeviceModel'], capabilityModel: { '@id': 'dtmi:fleetlab:recipes;1', '@type': 'Interface', contents: [] } };
    expect(await send('/api/deviceTemplates/dtmi:fleetlab:recipes?api-version=2022-07-31', template, 'PUT')).toBe(200);
    expect(await send('/_fleetlab/fleet', { template: 'dtmi:fleetlab:recipes', count: FLEET, idPrefix: 'recipe' })).toBe(201);
  });
  afterAll(async () => {
    await serve.signal('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('"Use curl" answers the first page, whose nextLink is https on the same address', () => {
    const why = missing('curl', ['--version']);
    if (why) return void console.warn(`skipped the curl recipe: ${why}`);
    const result = run('curl');
    expect(result.stderr).toBe('');
    const page = JSON.parse(result.stdout) as { value: unknown[]; nextLink: string };
    expect(page.value).toHaveLength(100);
    expect(page.nextLink.startsWith(`${serve.url}/api/devices?api-version=2022-07-31&`)).toBe(true);
  });

  it('"Python requests" walks all 250 devices through nextLink', () => {
    const why = missing('python3', ['-c', 'import requests']);
    if (why) return void console.warn(`skipped the Python requests recipe: ${why}`);
    const result = run('python-requests');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(String(FLEET));
  });

  it('"Use the AWS CLI" creates and lists a thing over HTTPS with AWS_CA_BUNDLE', () => {
    const why = missing('aws', ['--version']);
    if (why) return void console.warn(`skipped the AWS CLI recipe: ${why}`);
    const result = run('aws-cli');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('"thingName": "readme-pump-1"');
  });

  it('"boto3" lists things over HTTPS, trusting only the CA', () => {
    const why = missing('python3', ['-c', 'import boto3']);
    if (why) return void console.warn(`skipped the boto3 recipe: ${why}`);
    const result = run('boto3');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("'recipe-1'");
  });

  it('"OTA end to end" puts firmware into the local S3, and the agent downloads it through the presigned URL its job document got', () => {
    const why = missing('python3', ['-c', 'import boto3']);
    if (why) return void console.warn(`skipped the OTA recipe: ${why}`);
    const result = run('ota');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`SUCCEEDED ${2 * 1024 * 1024} ${serve.url}/s3/readme-firmware/pump/fw-2.0.bin`);
  });

  it('"Use the Azure CLI" creates a template, a device, a group and a job, and lists the job\'s devices', () => {
    const why = missing('az', ['extension', 'show', '--name', 'azure-iot']);
    if (why) return void console.warn(`skipped the Azure CLI recipe (test/api/central/azure-cli-requests.test.ts replays its requests): ${why}`);
    const result = run('azure-cli');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('readme-therm-1');
  });
});
