import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DataFileError, migrate, moveAsideCorrupt, readDocument, writeDocumentDurably, type Migration } from './json-document.js';
import { JournalFile } from './journal-file.js';
import { storageErrorOf } from './storage-error.js';
import { applyToState, Store, type Change, type Durability, type StoreSchema, type StoreState } from './store.js';

export const MAIN_FILE = 'fleetlab.json';
const JOURNAL = /^fleetlab-journal-(\d+)\.jsonl$/;
const journalName = (generation: number) => `fleetlab-journal-${generation}.jsonl`;

/** The runtime side of a schema: collection names, singleton defaults, the document's version and its migrations. */
export interface SchemaDefinition<S extends StoreSchema> {
  schemaVersion: number;
  collections: readonly (keyof S['collections'] & string)[];
  singletons: { [K in keyof S['singletons'] & string]: () => S['singletons'][K] };
  migrations: readonly Migration[];
}

export interface DataDirStoreOptions {
  /** Journal bytes after which the document is rewritten and the journal started afresh. */
  compactAfterBytes?: number;
  /** Where the store says what a user must know (a file moved aside, a torn journal line ignored). */
  onNotice?: (message: string) => void;
}

/**
 * `fleetlab.json` (a lowdb document: schemaVersion, the journal generation it includes, each collection as an object
 * by id, each singleton) plus `fleetlab-journal-<generation>.jsonl`, one line per commit since. Start = read the
 * document, replay the journals of its generation and later, and rewrite the document once (which also proves the
 * data dir is writable).
 */
export async function openDataDirStore<S extends StoreSchema>(dataDir: string, schema: SchemaDefinition<S>, options: DataDirStoreOptions = {}): Promise<Store<S>> {
  const notice = options.onNotice ?? (() => undefined);
  const file = path.join(dataDir, MAIN_FILE);
  let lostDocument = false;
  // Read as written: the journals after it hold changes in the same schema version, so they are replayed first and
  // the migrations run on the result.
  const { data } = await readDocument<{ schemaVersion: number; journal?: number } & Record<string, unknown>>({
    file,
    defaults: () => ({ schemaVersion: schema.schemaVersion }),
    onCorrupt: (message) => {
      lostDocument = true;
      notice(message);
    },
  });
  const written = stateOfDocument(data);
  const included = typeof data.journal === 'number' ? data.journal : 0;
  let generation = included;
  for (const { name, generation: g } of await journalsIn(dataDir)) {
    const journal = path.join(dataDir, name);
    generation = Math.max(generation, g);
    if (lostDocument) {
      // A journal holds changes to the document it follows; without that document they would make a state that never was.
      notice(`${journal} holds changes to the data file that could not be read; moved it to ${await moveAsideCorrupt(journal)}`);
      continue;
    }
    if (g < included) {
      await rm(journal, { force: true });
      continue;
    }
    await replay(journal, written, notice);
  }
  const state = stateOfSchema(migrate({ ...documentObjectOf(written), schemaVersion: data.schemaVersion }, schema.migrations), schema);
  const durability = new DataDirDurability(dataDir, schema, generation, options.compactAfterBytes ?? 8 * 1024 * 1024);
  try {
    await durability.rewrite(state);
  } catch (error) {
    throw new DataFileError(`data dir "${dataDir}" cannot be written: ${storageErrorOf(error, 'nothing').message.split(';')[0]}`);
  }
  return new Store<S>({ collections: schema.collections, singletons: schema.singletons }, state, durability);
}

class DataDirDurability<S extends StoreSchema> implements Durability {
  private journal: JournalFile | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly schema: SchemaDefinition<S>,
    private generation: number,
    private readonly compactAfterBytes: number,
  ) {}

  async append(line: string): Promise<void> {
    if (!this.journal) throw storageErrorOf(new Error('the journal is not open'), 'the change');
    await this.journal.append(line);
  }

  wantsCompaction(): boolean {
    return (this.journal?.size ?? 0) > this.compactAfterBytes;
  }

  async rewrite(state: StoreState): Promise<void> {
    const next = this.generation + 1;
    const text = documentOf(state, this.schema, next);
    const nextJournal = path.join(this.dataDir, journalName(next));
    let journal: JournalFile | undefined;
    try {
      journal = await JournalFile.open(nextJournal, true);
      await writeDocumentDurably(path.join(this.dataDir, MAIN_FILE), text);
    } catch (error) {
      await journal?.close().catch(() => undefined);
      await rm(nextJournal, { force: true }).catch(() => undefined);
      throw storageErrorOf(error, 'the data file');
    }
    const previous = this.journal;
    const previousGenerations = (await journalsIn(this.dataDir)).filter(({ generation }) => generation < next);
    this.journal = journal;
    this.generation = next;
    await previous?.close().catch(() => undefined);
    for (const { name } of previousGenerations) await rm(path.join(this.dataDir, name), { force: true }).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
  }
}

async function journalsIn(dataDir: string): Promise<{ name: string; generation: number }[]> {
  const names = await readdir(dataDir);
  return names
    .map((name) => ({ name, generation: Number(JOURNAL.exec(name)?.[1] ?? NaN) }))
    .filter(({ generation }) => Number.isSafeInteger(generation))
    .sort((a, b) => a.generation - b.generation);
}

/** Applies a journal's lines; a torn last line (a crash mid-append) or a corrupt one ends the replay, and the file is moved aside. */
async function replay(journal: string, state: StoreState, notice: (message: string) => void): Promise<void> {
  const text = await readFile(journal, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n') || text === '';
  if (complete) lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let changes: Change[];
    try {
      changes = JSON.parse(lines[i]!) as Change[];
      if (!Array.isArray(changes)) throw new Error('not a list of changes');
    } catch {
      const aside = await moveAsideCorrupt(journal);
      const last = i === lines.length - 1;
      notice(
        last && !complete
          ? `${journal}: ignored a torn last line (${lines[i]!.length} bytes, a write the process did not finish); moved the journal to ${aside}`
          : `${journal}: line ${i + 1} is corrupt; the ${lines.length - i - 1} line(s) after it were not replayed; moved the journal to ${aside}`,
      );
      return;
    }
    applyToState(state, changes);
  }
}

/** Every object-valued field of a document as a collection, everything else as a singleton, for replay. */
function stateOfDocument(data: Record<string, unknown>): StoreState {
  const collections = new Map<string, Map<string, object>>();
  const singletons = new Map<string, unknown>();
  for (const [name, value] of Object.entries(data)) {
    if (name === 'schemaVersion' || name === 'journal') continue;
    if (isObject(value)) collections.set(name, new Map(Object.entries(value) as [string, object][]));
    else singletons.set(name, value);
  }
  return { collections, singletons };
}

/** Singletons last: a singleton that the document held as an object (the simulation) and a journal line then set wins. */
function documentObjectOf(state: StoreState): Record<string, unknown> {
  const document: Record<string, unknown> = Object.create(null);
  for (const [name, records] of state.collections) document[name] = Object.fromEntries(records);
  for (const [name, value] of state.singletons) document[name] = value;
  return document;
}

/** The schema's collections and singletons of a migrated document; anything else it holds is dropped. */
function stateOfSchema<S extends StoreSchema>(data: Record<string, unknown>, schema: SchemaDefinition<S>): StoreState {
  const collections = new Map<string, Map<string, object>>();
  for (const name of schema.collections) {
    const value = data[name];
    collections.set(name, new Map(isObject(value) ? (Object.entries(value) as [string, object][]) : []));
  }
  const singletons = new Map<string, unknown>();
  for (const name of Object.keys(schema.singletons)) if (name in data) singletons.set(name, data[name]);
  return { collections, singletons };
}

/** The document text, written piece by piece so that no second copy of the whole state is built. */
function documentOf<S extends StoreSchema>(state: StoreState, schema: SchemaDefinition<S>, journal: number): string {
  const parts: string[] = [`{"schemaVersion":${schema.schemaVersion},"journal":${journal}`];
  for (const [name, value] of state.singletons) parts.push(`,${JSON.stringify(name)}:${JSON.stringify(value)}`);
  for (const name of schema.collections) {
    parts.push(`,${JSON.stringify(name)}:{`);
    let first = true;
    for (const [id, record] of state.collections.get(name) ?? []) {
      parts.push(`${first ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(record)}`);
      first = false;
    }
    parts.push('}');
  }
  parts.push('}');
  return parts.join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
