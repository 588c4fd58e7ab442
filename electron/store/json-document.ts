import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
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
 * A lowdb document whose writes are atomic (steno writes a temp file and renames it),
 * whose schema is versioned, and which never overwrites a file it cannot read.
 */
export async function openDocument<T extends { schemaVersion: number }>(options: DocumentOptions<T>): Promise<Low<T>> {
  await mkdir(path.dirname(options.file), { recursive: true });
  const adapter = new TextFile(options.file);
  const text = await adapter.read();
  const data = text === null ? options.defaults() : await parseOrMoveAside(text, options);
  const db = new Low<T>({ read: async () => data, write: (value) => adapter.write(JSON.stringify(value)) }, data);
  db.data = data;
  if (text === null) await db.write();
  return db;
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
  let migrated: Record<string, unknown> = parsed;
  for (const migration of options.migrations ?? []) {
    if (migration.to > (migrated.schemaVersion as number)) {
      migrated = { ...migration.up(migrated), schemaVersion: migration.to };
    }
  }
  return { ...options.defaults(), ...migrated } as T;
}

async function moveAside<T extends { schemaVersion: number }>(options: DocumentOptions<T>, why: string): Promise<T> {
  const aside = `${options.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await rename(options.file, aside);
  options.onCorrupt?.(`${options.file} could not be read (${why}); moved it to ${aside} and started with an empty store`);
  return options.defaults();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
