import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The renderer's layers (docs/decisions.md, "Renderer layers"): api/ <- lib/ <- components/ <- state/ <- screens/ <- the
// app shell (App.svelte, main.ts, routes.ts). `types` layers may only be imported with `import type`.
const SOURCE = 'renderer/src';
/** What the renderer may import from the emulator, type-only: the generated IoT Central types and the control API's schemas. */
const TYPE_SOURCES = ['electron/api/central/generated', 'electron/api/control/schema/'];

type Layer = 'api' | 'lib' | 'components' | 'state' | 'screens' | 'shell';
interface Rule {
  imports: Layer[];
  typesOnly: Layer[];
}
const RULES: Record<Layer, Rule> = {
  api: { imports: ['api'], typesOnly: [] },
  lib: { imports: ['lib'], typesOnly: ['api'] },
  components: { imports: ['components', 'lib'], typesOnly: ['api'] },
  state: { imports: ['state', 'lib', 'api'], typesOnly: [] },
  screens: { imports: ['screens', 'components', 'state', 'lib', 'api'], typesOnly: [] },
  shell: { imports: ['shell', 'screens', 'components', 'state', 'lib', 'api'], typesOnly: [] },
};

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.(ts|svelte)$/.test(entry.name) ? [file] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)';/gm)]
    .filter((match) => match[2]!.startsWith('.'))
    .map((match) => ({ file, target: path.normalize(path.join(path.dirname(file), match[2]!)), typeOnly: match[1] !== undefined }));
}

function layerOf(file: string): Layer {
  const [first, second] = path.relative(SOURCE, file).split(path.sep);
  return second === undefined ? 'shell' : (first as Layer);
}

/** The screen folder a file belongs to (`screens/jobs`); undefined outside screens/. */
const screenOf = (file: string) => (layerOf(file) === 'screens' ? path.relative(SOURCE, file).split(path.sep).slice(0, 2).join('/') : undefined);

const IMPORTS = sourceFiles(SOURCE).flatMap(importsOf);
const describeImport = ({ file, target, typeOnly }: Import) => `${file} -> ${target}${typeOnly ? ' (types)' : ''}`;

describe('renderer layers', () => {
  it('reads the renderer', () => {
    expect(IMPORTS.length).toBeGreaterThan(100);
  });

  it('leaves the renderer only for the generated IoT Central types and the control API schemas, imported type-only', () => {
    const outside = IMPORTS.filter((entry) => path.relative(SOURCE, entry.target).startsWith('..'));
    expect(outside.filter((entry) => !entry.typeOnly || !TYPE_SOURCES.some((source) => entry.target.startsWith(source))).map(describeImport)).toEqual([]);
  });

  it('imports only downwards: api <- lib <- components <- state <- screens <- the shell', () => {
    const inside = IMPORTS.filter((entry) => !path.relative(SOURCE, entry.target).startsWith('..'));
    const wrong = inside.filter((entry) => {
      const rule = RULES[layerOf(entry.file)];
      const layer = layerOf(entry.target);
      return !rule.imports.includes(layer) && !(entry.typeOnly && rule.typesOnly.includes(layer));
    });
    expect(wrong.map(describeImport)).toEqual([]);
  });

  it("keeps each screen's parts to itself", () => {
    const across = IMPORTS.filter((entry) => {
      const target = screenOf(entry.target);
      return target !== undefined && layerOf(entry.file) === 'screens' && screenOf(entry.file) !== target;
    });
    expect(across.map(describeImport)).toEqual([]);
  });
});
