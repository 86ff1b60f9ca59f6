export const median = (values: readonly number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** 12345.6 -> "12.3k", 1234567 -> "1.23M" */
export const compact = (value: number): string => {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 1 : 2)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(abs >= 1e4 ? 1 : 2)}k`;
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
};

/**
 * Runs the contenders round-robin, `runs` times each, so slow drift of a noisy machine (fsync
 * latency, a neighbour's CPU) hits every contender alike; returns the per-run values by name.
 */
export const interleave = async <K extends string>(
  runs: number,
  contenders: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> => {
  const names = Object.keys(contenders) as K[];
  const results = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let run = 0; run < runs; run++) {
    for (const name of names) results[name].push(await contenders[name]());
  }
  return results;
};

/**
 * A UUIDv7 from a millisecond timestamp and a counter: time-ordered like the app's ids, but
 * deterministic, so a seeded log is byte-identical on every run.
 */
export const uuidV7At = (msecs: number, counter: number): string => {
  const time = Math.floor(msecs).toString(16).padStart(12, '0');
  const seq = counter.toString(16).padStart(15, '0').slice(-15);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${seq.slice(0, 3)}-8${seq.slice(3, 6)}-${seq.slice(6, 15).padStart(12, '0')}`;
};
