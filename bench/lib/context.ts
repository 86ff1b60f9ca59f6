export type BenchContext = {
  quick: boolean;
  /** runs per in-process figure (append, read); the median is reported */
  runs: number;
  /** runs per expensive figure (HTTP load, catch-up, cold start) */
  heavyRuns: number;
  /** events in the generated lead log (projection, as-of, cold start, read $all) */
  logEvents: number;
  seed: number;
  /** the cached generated log: a DATA_DIR with events.sqlite and keys.sqlite */
  logDir: string;
  peersDir: string;
  emmettAvailable: boolean;
  /**
   * a copy of the log with its read models and as-of snapshots, left by the projection scenario
   * for later ones (removed when the bench ends); null until then
   */
  projectedDir: string | null;
  /** write CPU profiles of the child processes here (--profile) */
  profileDir: string | null;
  verbose: boolean;
  log: (line: string) => void;
  /** free-form lines for BENCHMARKS.md */
  notes: string[];
};
