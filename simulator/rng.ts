/**
 * Seeded randomness without a shared counter: every device gets its own short stream keyed by
 * (seed, salt, device id), so its draws cannot depend on which slice, thread or order it was simulated in.
 *
 * The key is a 32-bit FNV-1a hash. FNV-1a is incremental, so the hash of `${prefix}-${n}` can continue from the
 * hash of `${prefix}-` without re-reading the prefix for every device of a range. Its weak low-bit mixing does not
 * matter because the key only seeds mulberry32, whose output function mixes thoroughly.
 */

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Continues an FNV-1a hash over the UTF-16 code units of `text`. */
export function extendKey(key: number, text: string): number {
  let hash = key;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME) >>> 0;
  }
  return hash;
}

/** The key every device id of one operation extends. The salt's length keeps `("a", "bc")` apart from `("ab", "c")`. */
export function operationKey(seed: number, salt: string): number {
  return extendKey(FNV_OFFSET_BASIS, `${seed}:${salt.length}:${salt}:`);
}

export function deviceKey(seed: number, salt: string, deviceId: string): number {
  return extendKey(operationKey(seed, salt), deviceId);
}

/** mulberry32: a few uniform draws in [0, 1) from a 32-bit key. Reusable across devices through `reset`. */
export class DrawStream {
  private state = 0;

  constructor(key = 0) {
    this.state = key;
  }

  reset(key: number): this {
    this.state = key;
    return this;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
