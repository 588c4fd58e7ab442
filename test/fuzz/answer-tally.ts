/** How a surface answered a fuzz run, by status: a run whose requests all bounce off auth or validation tests little. */
export class AnswerTally {
  private readonly byStatus = new Map<number, number>();

  count(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  get total(): number {
    return [...this.byStatus.values()].reduce((sum, n) => sum + n, 0);
  }

  /** The share of answers with a 2xx status. */
  get successShare(): number {
    const successes = [...this.byStatus].filter(([status]) => status >= 200 && status < 300).reduce((sum, [, n]) => sum + n, 0);
    return this.total === 0 ? 0 : successes / this.total;
  }

  toString(): string {
    return [...this.byStatus].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`).join(', ');
  }
}
