export type Random = {
  /** in [0, 1) */
  next(): number;
  /** an integer in [min, max) */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** a version 4 UUID made from the seed, so runs name the same leads */
  uuid(): string;
};

// mulberry32: tiny, fast and good enough to make a test's choices repeatable from its seed.
export const seededRandom = (seed: number): Random => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length)],
    chance: (probability) => next() < probability,
    uuid: () => {
      const bytes = Array.from({ length: 16 }, () => int(0, 256));
      bytes[6] = (bytes[6] & 0x0f) | 0x40;
      bytes[8] = (bytes[8] & 0x3f) | 0x80;
      const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
};
