import { join } from 'node:path';
import { ReplaySnapshots } from '@lead/read-models';
import type { AppConfig } from '@lead/runtime';

// The as-of workers' snapshots of replayed read models live beside the log they are derived from.
export const asOfSnapshotsDir = (config: AppConfig): string =>
  join(config.dataDir, 'as-of-snapshots');

/** The snapshots an as-of worker reads and writes; null when turned off (ASOF_SNAPSHOT_EVERY=0). */
export const asOfSnapshots = (config: AppConfig): ReplaySnapshots | null =>
  config.asOfSnapshotEvery > 0
    ? new ReplaySnapshots({
        dir: asOfSnapshotsDir(config),
        every: config.asOfSnapshotEvery,
        keep: config.asOfSnapshotsKept,
      })
    : null;
