import type { DeviceSlice } from '../fleet-executor.js';

/** Builds range slices of one fleet from members given in ascending order; adjacent runs merge. */
export class RunBuilder {
  private slices: DeviceSlice[] = [];
  private first = -1;
  private count = 0;

  constructor(private readonly prefix: string) {}

  add(n: number): void {
    this.addRun(n, n + 1);
  }

  /** Members [from, to). */
  addRun(from: number, to: number): void {
    if (to <= from) return;
    if (this.count > 0 && from === this.first + this.count) {
      this.count += to - from;
      return;
    }
    this.flush();
    this.first = from;
    this.count = to - from;
  }

  /** The slices completed so far (with `final`, the open run too); they are not returned again. */
  take(final = false): DeviceSlice[] {
    if (final) this.flush();
    const slices = this.slices;
    this.slices = [];
    return slices;
  }

  private flush(): void {
    if (this.count > 0) this.slices.push({ prefix: this.prefix, first: this.first, count: this.count });
    this.count = 0;
  }
}
