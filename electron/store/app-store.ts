import path from 'node:path';
import type { Low } from 'lowdb';
import { openDocument, type Migration } from './json-document.js';
import { emptyStore, withoutPrototypes, type StoreData } from './records.js';

export const MAIN_FILE = 'fleetlab.json';

/** Schema migrations, oldest first; each produces the version in `to`. */
const MIGRATIONS: readonly Migration[] = [];

export interface AppStore {
  readonly data: StoreData;
  /** Resolves once the current data is on disk. */
  save(): Promise<void>;
  readonly dataDir: string;
}

class LowdbAppStore implements AppStore {
  constructor(
    private readonly db: Low<StoreData>,
    readonly dataDir: string,
  ) {}
  get data(): StoreData {
    return this.db.data;
  }
  save(): Promise<void> {
    return this.db.write();
  }
}

export class MemoryAppStore implements AppStore {
  readonly data = emptyStore();
  readonly dataDir = '';
  async save(): Promise<void> {}
}

export async function openAppStore(dataDir: string, onCorrupt?: (message: string) => void): Promise<AppStore> {
  const db = await openDocument<StoreData>({
    file: path.join(dataDir, MAIN_FILE),
    defaults: emptyStore,
    migrations: MIGRATIONS,
    onCorrupt,
  });
  withoutPrototypes(db.data);
  return new LowdbAppStore(db, dataDir);
}
