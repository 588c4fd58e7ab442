import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileOpener } from './block-file.js';
import { readTargetsFile, writeTargetsFile } from './targets-file.js';
import { appendTargetsRecord, readTargetsJournal } from './targets-journal.js';

const TARGETS_FILE = 'targets.json';
const TARGETS_JOURNAL = 'targets.journal';

/** Where a job's targets stand on disk: the targets.json the journal extends and the journal's end. */
export interface TargetsState {
  key: string;
  baseBytes: number;
  /** 0 while there is no journal for this targets.json. */
  journalEnd: number;
}

/**
 * A job's targets: targets.json plus the slices journaled since (targets-journal.ts). Appends cost what they add; once
 * the journal outgrows `compactAfterBytes` and targets.json itself, both are folded into a new targets.json, so the
 * rewrites cost amortised O(appended) too.
 */
export class JobTargets {
  constructor(
    private readonly opener: FileOpener,
    private readonly compactAfterBytes: number,
  ) {}

  /** Replaces the targets: a new targets.json with a new key, which retires any journal of the old one. */
  async write(dir: string, targets: readonly unknown[]): Promise<TargetsState> {
    const key = randomBytes(8).toString('hex');
    const baseBytes = await writeTargetsFile(this.opener, path.join(dir, TARGETS_FILE), targets, key);
    await rm(path.join(dir, TARGETS_JOURNAL), { force: true }).catch(() => undefined);
    return { key, baseBytes, journalEnd: 0 };
  }

  /**
   * targets.json with the appends journaled since (a torn last one ignored), and where they stand. Appends found are
   * folded into targets.json (a restart reads each job's targets once), unless that fails now.
   */
  async read<Targets extends unknown[]>(dir: string): Promise<{ targets: Targets; legacy: boolean; state: TargetsState }> {
    const { targets, legacy, state, appended } = await this.load<Targets>(dir);
    return { targets, legacy, state: appended ? await this.fold(dir, targets) : state };
  }

  /**
   * Journals `slices` after the targets, synced before it resolves; the new state. Targets without a journal key
   * (written before journals, or whose last fold failed part-way) are written whole once instead.
   */
  async append(dir: string, state: TargetsState, slices: readonly unknown[]): Promise<TargetsState> {
    if (!state.key) return this.write(dir, [...(await this.load(dir)).targets, ...slices]);
    const journalEnd = await appendTargetsRecord(this.opener, path.join(dir, TARGETS_JOURNAL), state.key, state.journalEnd, slices);
    const next = { ...state, journalEnd };
    if (journalEnd <= Math.max(this.compactAfterBytes, next.baseBytes)) return next;
    // The append is durable already: a compaction that cannot read leaves no key, so the next append writes them whole.
    return this.load(dir).then(({ targets }) => this.fold(dir, targets), () => ({ ...next, key: '' }));
  }

  private async load<Targets extends unknown[]>(dir: string) {
    const base = await readTargetsFile<Targets>(this.opener, path.join(dir, TARGETS_FILE));
    const journal = await readTargetsJournal(this.opener, path.join(dir, TARGETS_JOURNAL), base.journal);
    const targets = (journal.appended.length > 0 ? [...base.targets, ...journal.appended] : base.targets) as Targets;
    const state: TargetsState = { key: base.journal ?? '', baseBytes: base.bytes, journalEnd: journal.end };
    return { targets, legacy: base.legacy, state, appended: journal.appended.length > 0 };
  }

  /**
   * A new targets.json holding the journaled appends. Whether it failed before or after its rename is not known, so
   * a failure leaves no key: the next append writes the targets whole, with whichever file is there.
   */
  private fold(dir: string, targets: readonly unknown[]): Promise<TargetsState> {
    return this.write(dir, targets).catch(() => ({ key: '', baseBytes: 0, journalEnd: 0 }));
  }
}
