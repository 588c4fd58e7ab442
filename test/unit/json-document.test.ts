import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError, readDocument, writeDocumentDurably } from '../../electron/store/json-document.js';

interface Doc {
  schemaVersion: number;
  items: string[];
  renamed?: string;
}

const defaults = (): Doc => ({ schemaVersion: 2, items: [] });

async function dataFile(content?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetlab-doc-'));
  const file = path.join(dir, 'fleetlab.json');
  if (content !== undefined) await writeFile(file, content);
  return { dir, file };
}

describe('the lowdb document', () => {
  it('starts from the defaults when there is no file, and writes atomically (no temp file left)', async () => {
    const { dir, file } = await dataFile();
    expect(await readDocument<Doc>({ file, defaults })).toEqual({ data: defaults(), existed: false });
    await writeDocumentDurably(file, JSON.stringify({ schemaVersion: 2, items: ['a'] }));
    expect((await readDocument<Doc>({ file, defaults })).data).toEqual({ schemaVersion: 2, items: ['a'] });
    expect(await readdir(dir)).toEqual(['fleetlab.json']);
  });

  it('moves an unreadable file aside with a message and starts empty, never overwriting it', async () => {
    const { dir, file } = await dataFile('{"schemaVersion": 1, "items": [');
    const messages: string[] = [];
    const { data } = await readDocument<Doc>({ file, defaults, onCorrupt: (m) => messages.push(m) });
    expect(data).toEqual(defaults());
    const aside = (await readdir(dir)).find((name) => name.startsWith('fleetlab.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe('{"schemaVersion": 1, "items": [');
    expect(messages).toEqual([expect.stringContaining(`moved it to ${path.join(dir, aside!)}`)]);
  });

  it('moves aside a JSON file that is not Fleetlab data', async () => {
    const { dir, file } = await dataFile('["something", "else"]');
    await readDocument<Doc>({ file, defaults, onCorrupt: () => {} });
    expect((await readdir(dir)).some((name) => name.startsWith('fleetlab.json.corrupt-'))).toBe(true);
  });

  it('runs the migrations a file needs, in order', async () => {
    const { file } = await dataFile(JSON.stringify({ schemaVersion: 1, items: ['x'], oldName: 'kept' }));
    const { data } = await readDocument<Doc>({
      file,
      defaults,
      migrations: [{ to: 2, up: ({ oldName, ...rest }) => ({ ...rest, renamed: oldName }) }],
    });
    expect(data).toEqual({ schemaVersion: 2, items: ['x'], renamed: 'kept' });
  });

  it('refuses a file written by a newer Fleetlab and leaves it untouched', async () => {
    const content = JSON.stringify({ schemaVersion: 9, items: [] });
    const { file } = await dataFile(content);
    await expect(readDocument<Doc>({ file, defaults })).rejects.toThrow(DataFileError);
    expect(await readFile(file, 'utf8')).toBe(content);
  });
});
