import { describe, expect, it } from 'vitest';
import { latencyFor } from '../../simulator/latency.js';

const draws = (n: number) => Array.from({ length: n }, (_, i) => (i + 0.5) / n);
const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

describe('device latency', () => {
  it('is uniform over [min, max] without a distribution', () => {
    const values = draws(10_000).map((u) => latencyFor({ min: 50, max: 150 }, u));
    expect(Math.min(...values)).toBe(50);
    expect(Math.max(...values)).toBe(150);
    expect(values.reduce((a, b) => a + b, 0) / values.length).toBeCloseTo(100, 0);
  });

  it('has the mean and 99th percentile it was given when log-normal', () => {
    const values = draws(100_000).map((u) => latencyFor({ min: 0, max: 1_000_000, mean: 200, p99: 1500 }, u)).sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 200) / 200).toBeLessThan(0.02);
    expect(Math.abs(quantile(values, 0.99) - 1500) / 1500).toBeLessThan(0.02);
    // A long tail: the median sits well below the mean.
    expect(quantile(values, 0.5)).toBeLessThan(150);
  });

  it('keeps a log-normal latency within [min, max]', () => {
    const values = draws(10_000).map((u) => latencyFor({ min: 100, max: 1000, mean: 200, p99: 1500 }, u));
    expect(Math.min(...values)).toBe(100);
    expect(Math.max(...values)).toBe(1000);
  });
});
