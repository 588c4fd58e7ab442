import { appendFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEETLAB_SCHEMA, memoryStore, openFleetlabStore } from '../../electron/domain/persisted.js';
import { StorageError } from '../../electron/store/storage-error.js';
import type { Durability } from '../../electron/store/store.js';
import { DEFAULT_BEHAVIOR, type OrganizationRecord } from '../../electron/store/records.js';

const dataDir = () => mkdtemp(path.join(tmpdir(), 'fleetlab-store-'));
const org = (id: string): OrganizationRecord => ({ id, displayName: id });

describe('the data dir store', () => {
  it('keeps every acknowledged commit across a restart, in order, including ids named like Object.prototype members', async () => {
    const dir = await dataDir();
    const store = await openFleetlabStore(dir);
    for (const id of ['a', '__proto__', 'constructor', 'b']) await store.commit((tx) => tx.put('organizations', id, org(id)));
    await store.commit((tx) => tx.delete('organizations', 'a'));
    await store.commit((tx) => tx.set('simulation', { seed: 7, timeScale: 0, defaults: DEFAULT_BEHAVIOR }));
    await store.close();

    const again = await openFleetlabStore(dir);
    expect(again.repository('organizations').ids()).toEqual(['__proto__', 'constructor', 'b']);
    expect(again.repository('organizations').get('__proto__')).toEqual(org('__proto__'));
    expect(again.repository('organizations').get('toString')).toBeUndefined();
    expect(again.get('simulation').seed).toBe(7);
    await again.close();
  });

  it('shows a commit to readers only once it is durable, and applies nothing when the disk refuses it', async () => {
    let fail = false;
    const lines: string[] = [];
    const durability: Durability = {
      append: async (line) => {
        if (fail) throw new StorageError('full', 'the disk is full');
        lines.push(line);
      },
      rewrite: async () => {},
      wantsCompaction: () => false,
      close: async () => {},
    };
    const store = memoryStore(durability);
    const written = store.commit((tx) => tx.put('organizations', 'x', org('x')));
    expect(store.repository('organizations').has('x')).toBe(false);
    await written;
    expect(store.repository('organizations').get('x')).toEqual(org('x'));
    fail = true;
    await expect(store.commit((tx) => tx.put('organizations', 'y', org('y')))).rejects.toMatchObject({ failure: 'full' });
    expect(store.repository('organizations').has('y')).toBe(false);
    expect(lines).toHaveLength(1);
  });

  it('groups commits that arrive together into one journal append', async () => {
    const appends: string[] = [];
    const store = memoryStore({ append: async (line) => void appends.push(line), rewrite: async () => {}, wantsCompaction: () => false, close: async () => {} });
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.commit((tx) => tx.put('organizations', `o${i}`, org(`o${i}`)))));
    expect(store.repository('organizations').size).toBe(50);
    expect(appends.length).toBeLessThan(5);
  });

  it('freezes stored records, so an edit outside a commit fails instead of changing state unseen', async () => {
    const store = memoryStore();
    await store.commit((tx) => tx.put('organizations', 'x', org('x')));
    const record = store.repository('organizations').get('x')!;
    expect(() => ((record as { displayName: string }).displayName = 'changed')).toThrow(TypeError);
  });

  it('refuses a value that cannot be serialised without touching the journal', async () => {
    const store = memoryStore();
    const circular: Record<string, unknown> = { id: 'c', displayName: 'c' };
    circular.self = circular;
    await expect(store.commit((tx) => tx.put('organizations', 'c', circular as unknown as OrganizationRecord))).rejects.toMatchObject({ failure: 'unwritable' });
    expect(store.repository('organizations').has('c')).toBe(false);
  });

  it('ignores a torn last journal line, names it and moves the journal aside, keeping every whole line', async () => {
    const dir = await dataDir();
    const store = await openFleetlabStore(dir);
    await store.commit((tx) => tx.put('organizations', 'kept', org('kept')));
    await store.close();
    const journal = (await readdir(dir)).find((name) => name.endsWith('.jsonl'))!;
    await appendFile(path.join(dir, journal), '[{"op":"put","collection":"organizations","id":"torn","rec');
    const notices: string[] = [];
    const again = await openFleetlabStore(dir, { onNotice: (m) => notices.push(m) });
    expect(again.repository('organizations').ids()).toEqual(['kept']);
    expect(notices).toEqual([expect.stringMatching(/torn last line.*moved the journal to .*\.corrupt-/)]);
    expect((await readdir(dir)).some((name) => name.includes('.jsonl.corrupt-'))).toBe(true);
    await again.close();
  });

  it('compacts the journal into fleetlab.json in the background and restarts from both', async () => {
    const dir = await dataDir();
    const store = await openFleetlabStore(dir, { compactAfterBytes: 2_000 });
    for (let i = 0; i < 200; i++) await store.commit((tx) => tx.put('organizations', `o${i}`, org(`o${i}`)));
    await store.settled();
    const document = JSON.parse(await readFile(path.join(dir, 'fleetlab.json'), 'utf8'));
    expect(document.journal).toBeGreaterThan(1);
    expect(Object.keys(document.organizations).length).toBeGreaterThan(150);
    await store.close();
    const again = await openFleetlabStore(dir);
    expect(again.repository('organizations').size).toBe(200);
    expect((await readdir(dir)).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);
    await again.close();
  });

  it('reads a schema 1 data file, migrating its list of deleted fleet devices', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, 'fleetlab.json'), JSON.stringify({ schemaVersion: 1, deletedFleetDevices: ['f-1', 'f-3'], fleets: [], devices: {} }));
    const store = await openFleetlabStore(dir);
    expect(store.repository('deletedFleetDevices').ids()).toEqual(['f-1', 'f-3']);
    expect(FLEETLAB_SCHEMA.schemaVersion).toBe(4);
    await store.close();
  });

  it('replays a singleton set after the document already held it: the journal, being newer, wins', async () => {
    const dir = await dataDir();
    const seed = async (value?: number) => {
      const store = await openFleetlabStore(dir);
      if (value !== undefined) await store.commit((tx) => tx.set('simulation', { seed: value, timeScale: 0, defaults: DEFAULT_BEHAVIOR }));
      const seen = store.get('simulation').seed;
      await store.close();
      return seen;
    };
    expect(await seed(7)).toBe(7);
    expect(await seed(9)).toBe(9);
    expect(await seed()).toBe(9);
  });
});
