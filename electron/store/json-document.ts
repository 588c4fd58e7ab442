import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { TextFile } from 'lowdb/node';

export interface Migration {
  /** The schema version this migration produces. */
  to: number;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

export interface DocumentOptions<T extends { schemaVersion: number }> {
  file: string;
  defaults: () => T;
  migrations?: readonly Migration[];
  /** Called when an unreadable file was moved aside; the store then starts empty. */
  onCorrupt?: (message: string) => void;
}

export class DataFileError extends Error {}

/**
 * Reads a lowdb JSON document, running the schema migrations it needs. A file that cannot be read is moved aside,
 * never overwritten, and the defaults are returned; a file of a newer schema is refused.
 */
export async function readDocument<T extends { schemaVersion: number }>(options: DocumentOptions<T>): Promise<{ data: T; existed: boolean }> {
  await mkdir(path.dirname(options.file), { recursive: true });
  const text = await new TextFile(options.file).read();
  if (text === null) return { data: options.defaults(), existed: false };
  return { data: await parseOrMoveAside(text, options), existed: true };
}

/** Replaces the file with `text` atomically (temp file, fsync, rename, fsync of the folder); `mode` for a new file. */
export async function writeDocumentDurably(file: string, text: string, mode?: number): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    // A temp file left by a kill keeps its mode: a private file must not become readable through it.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncFolder(path.dirname(file));
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function parseOrMoveAside<T extends { schemaVersion: number }>(text: string, options: DocumentOptions<T>): Promise<T> {
  const current = options.defaults().schemaVersion;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return moveAside(options, 'it is not valid JSON');
  }
  if (!isRecord(parsed) || typeof parsed.schemaVersion !== 'number') {
    return moveAside(options, 'it is not a Fleetlab data file (no schemaVersion)');
  }
  if (parsed.schemaVersion > current) {
    throw new DataFileError(
      `${options.file} was written by a newer Fleetlab (schema ${parsed.schemaVersion}, this build reads up to ${current}); use a newer Fleetlab or another --data-dir`,
    );
  }
  return { ...options.defaults(), ...migrate(parsed, options.migrations ?? []) } as T;
}

export function migrate(data: Record<string, unknown>, migrations: readonly Migration[]): Record<string, unknown> {
  let migrated = data;
  for (const migration of migrations) {
    if (migration.to > (migrated.schemaVersion as number)) migrated = { ...migration.up(migrated), schemaVersion: migration.to };
  }
  return migrated;
}

/** Moves a file Fleetlab cannot use out of the way, keeping it for the user; returns where it went. */
export async function moveAsideCorrupt(file: string): Promise<string> {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  return aside;
}

async function moveAside<T extends { schemaVersion: number }>(options: DocumentOptions<T>, why: string): Promise<T> {
  const aside = await moveAsideCorrupt(options.file);
  options.onCorrupt?.(`${options.file} could not be read (${why}); moved it to ${aside} and started with an empty store`);
  return options.defaults();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
