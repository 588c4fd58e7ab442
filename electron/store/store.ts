import { StorageError } from './storage-error.js';

/** What a store holds: collections of records by id, and singletons (one value each). */
export interface StoreSchema {
  collections: Record<string, object>;
  singletons: Record<string, unknown>;
}

export type CollectionName<S extends StoreSchema> = keyof S['collections'] & string;
export type SingletonName<S extends StoreSchema> = keyof S['singletons'] & string;

/** One write of a commit, as it is journaled: put or delete a record, or set a singleton. */
export type Change =
  | { op: 'put'; collection: string; id: string; record: object }
  | { op: 'delete'; collection: string; id: string }
  | { op: 'set'; singleton: string; value: unknown };

/** The durable state: each collection's records by id in insertion order, each singleton's value. */
export interface StoreState {
  collections: Map<string, Map<string, object>>;
  singletons: Map<string, unknown>;
}

/** Read access to one collection; records are frozen, so a change goes through a commit. */
export interface Repository<T> {
  get(id: string): T | undefined;
  has(id: string): boolean;
  /** In insertion order. */
  list(): T[];
  ids(): string[];
  readonly size: number;
}

/** Writes staged for one commit. */
export interface Transaction<S extends StoreSchema> {
  put<C extends CollectionName<S>>(collection: C, id: string, record: S['collections'][C]): void;
  delete<C extends CollectionName<S>>(collection: C, id: string): void;
  set<K extends SingletonName<S>>(singleton: K, value: S['singletons'][K]): void;
}

/** How commits become durable; `append` resolves once the line is on disk, or rejects and leaves the disk as it was. */
export interface Durability {
  append(line: string): Promise<void>;
  /** Writes the whole state in place of everything journaled so far (compaction, reset, import); reads `state` before it first awaits. */
  rewrite(state: StoreState): Promise<void>;
  /** Whether journaled bytes have grown enough that a rewrite would pay off. */
  wantsCompaction(): boolean;
  close(): Promise<void>;
}

type Queued =
  | { kind: 'commit'; line: string; changes: Change[]; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'replace'; state: StoreState; resolve: () => void; reject: (error: unknown) => void }
  | { kind: 'compact' };

export type ChangeListener = (change: Change | { op: 'replaced' }) => void;

/**
 * Fleetlab's state: typed collections that readers see only once a write is durable. A commit's writes are journaled
 * as one line (commits that arrive together share one fsync), then applied; when the journal cannot be written nothing
 * is applied and the commit rejects with a StorageError.
 */
export class Store<S extends StoreSchema> {
  private readonly collections = new Map<string, Map<string, object>>();
  private readonly singletons = new Map<string, unknown>();
  private readonly repositories = new Map<string, Repository<object>>();
  private readonly queue: Queued[] = [];
  private draining: Promise<void> | undefined;
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    private readonly schema: { collections: readonly CollectionName<S>[]; singletons: { [K in SingletonName<S>]: () => S['singletons'][K] } },
    state: StoreState,
    private readonly durability: Durability,
  ) {
    this.load(state);
  }

  repository<C extends CollectionName<S>>(collection: C): Repository<S['collections'][C]> {
    const repository = this.repositories.get(collection);
    if (!repository) throw new Error(`Unknown collection "${collection}"`);
    return repository as Repository<S['collections'][C]>;
  }

  get<K extends SingletonName<S>>(singleton: K): S['singletons'][K] {
    return this.singletons.get(singleton) as S['singletons'][K];
  }

  /** Stages the writes `build` makes, makes them durable, then applies them; nothing is applied when that fails. */
  commit(build: (tx: Transaction<S>) => void): Promise<void> {
    const changes: Change[] = [];
    build({
      put: (collection, id, record) => changes.push({ op: 'put', collection: this.known(collection), id, record }),
      delete: (collection, id) => changes.push({ op: 'delete', collection: this.known(collection), id }),
      set: (singleton, value) => changes.push({ op: 'set', singleton: this.knownSingleton(singleton), value }),
    });
    if (changes.length === 0) return Promise.resolve();
    let line: string;
    try {
      line = `${JSON.stringify(changes)}\n`;
    } catch (error) {
      return Promise.reject(new StorageError('unwritable', `The change cannot be stored: ${(error as Error).message}`, error));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'commit', line, changes, resolve, reject });
      this.kick();
    });
  }

  /** Replaces everything (reset, snapshot import) once the new state is durable. */
  replace(state: StoreState): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'replace', state, resolve, reject });
      this.kick();
    });
  }

  /** The whole durable state as of now (for snapshots and compaction); later commits do not change it. */
  state(): StoreState {
    const collections = new Map<string, Map<string, object>>();
    for (const [name, records] of this.collections) collections.set(name, new Map(records));
    return { collections, singletons: new Map(this.singletons) };
  }

  /** Called with each change once it is applied; derived indexes stay current without rescanning. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every queued write has been made durable (or refused). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    await this.settled();
    await this.durability.close();
  }

  private known(collection: string): string {
    if (!this.collections.has(collection)) throw new Error(`Unknown collection "${collection}"`);
    return collection;
  }

  private knownSingleton(singleton: string): string {
    if (!(singleton in this.schema.singletons)) throw new Error(`Unknown singleton "${singleton}"`);
    return singleton;
  }

  private kick(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.kind === 'compact') {
        this.queue.shift();
        // A failed compaction leaves the journal as it was; the next commit tries again.
        await this.durability.rewrite(this.state()).catch(() => undefined);
        continue;
      }
      if (head.kind === 'replace') {
        this.queue.shift();
        try {
          await this.durability.rewrite(head.state);
          this.load(head.state);
          for (const listener of this.listeners) listener({ op: 'replaced' });
          head.resolve();
        } catch (error) {
          head.reject(error);
        }
        continue;
      }
      const group: Extract<Queued, { kind: 'commit' }>[] = [];
      while (this.queue[0]?.kind === 'commit') group.push(this.queue.shift() as Extract<Queued, { kind: 'commit' }>);
      try {
        await this.durability.append(group.map((item) => item.line).join(''));
      } catch (error) {
        for (const item of group) item.reject(error);
        continue;
      }
      for (const item of group) this.apply(item.changes);
      for (const item of group) item.resolve();
      if (this.durability.wantsCompaction() && !this.queue.some((item) => item.kind === 'compact')) this.queue.push({ kind: 'compact' });
    }
  }

  private apply(changes: Change[]): void {
    for (const change of changes) {
      if (change.op === 'set') this.singletons.set(change.singleton, deepFreeze(change.value));
      else if (change.op === 'put') this.collections.get(change.collection)!.set(change.id, deepFreeze(change.record));
      else this.collections.get(change.collection)!.delete(change.id);
      for (const listener of this.listeners) listener(change);
    }
  }

  private load(state: StoreState): void {
    this.collections.clear();
    this.repositories.clear();
    for (const name of this.schema.collections) {
      const records = new Map<string, object>();
      for (const [id, record] of state.collections.get(name) ?? []) records.set(id, deepFreeze(record));
      this.collections.set(name, records);
      this.repositories.set(name, {
        get: (id) => records.get(id),
        has: (id) => records.has(id),
        list: () => [...records.values()],
        ids: () => [...records.keys()],
        get size() {
          return records.size;
        },
      });
    }
    this.singletons.clear();
    for (const [name, fallback] of Object.entries(this.schema.singletons) as [string, () => unknown][]) {
      this.singletons.set(name, deepFreeze(state.singletons.has(name) ? state.singletons.get(name) : fallback()));
    }
  }
}

/** Applies a journal line's changes to a state, for replay at start. */
export function applyToState(state: StoreState, changes: Change[]): void {
  for (const change of changes) {
    if (change.op === 'set') {
      state.singletons.set(change.singleton, change.value);
      continue;
    }
    let records = state.collections.get(change.collection);
    if (!records) state.collections.set(change.collection, (records = new Map()));
    if (change.op === 'delete') records.delete(change.id);
    else records.set(change.id, change.record);
  }
}

/** Records are shared by every reader; freezing them makes an edit outside a commit fail loudly instead of silently. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  const pending: object[] = [value];
  while (pending.length > 0) {
    const next = pending.pop()!;
    Object.freeze(next);
    for (const child of Object.values(next)) {
      if (typeof child === 'object' && child !== null && !Object.isFrozen(child) && !ArrayBuffer.isView(child)) pending.push(child);
    }
  }
  return value;
}

/** Durability for tests and throwaway stores: every write "succeeds" at once, nothing reaches a disk. */
export class NoDurability implements Durability {
  async append(): Promise<void> {}
  async rewrite(): Promise<void> {}
  wantsCompaction(): boolean {
    return false;
  }
  async close(): Promise<void> {}
}
