import { createHash } from 'node:crypto';

/** A UUID-shaped id that is a hash of `seed`, so that resources derived from the fleet need no stored id. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
