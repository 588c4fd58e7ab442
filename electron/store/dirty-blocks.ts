import { BLOCK_DEVICES } from './block-file.js';

/** Which blocks of a job's device files changed since they were last handed to a checkpoint. */
export class DirtyBlocks {
  private flags = new Uint8Array(0);
  private count = 0;

  markDevice(position: number): void {
    this.markBlock(Math.floor(position / BLOCK_DEVICES));
  }

  markBlocks(blocks: readonly number[]): void {
    for (const block of blocks) this.markBlock(block);
  }

  /** The changed blocks in order; they count as clean from now on. */
  take(): number[] {
    if (this.count === 0) return [];
    const blocks: number[] = [];
    for (let block = 0; block < this.flags.length; block++) if (this.flags[block]) blocks.push(block);
    this.flags.fill(0);
    this.count = 0;
    return blocks;
  }

  private markBlock(block: number): void {
    if (block >= this.flags.length) {
      const grown = new Uint8Array(Math.max(block + 1, this.flags.length * 2));
      grown.set(this.flags);
      this.flags = grown;
    }
    if (this.flags[block]) return;
    this.flags[block] = 1;
    this.count++;
  }
}
