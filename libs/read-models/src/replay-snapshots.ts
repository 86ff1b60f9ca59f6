import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { EmbeddedReadStore } from './embedded-read-store';
import type { Projection } from './projection';
import { projectionsCheckpoint, projectionsFingerprint } from './projection-runner';

/** Where a snapshot stands in the log: the state after every lead event up to `position`. */
export type SnapshotPoint = {
  /** the last event folded in */
  position: bigint;
  recordedAt: string;
  /** lead events folded in since position 0 (snapshots are taken every `every` of them) */
  events: number;
  /**
   * The log head when the replay that first read these events began. An erasure appended after
   * it may have destroyed a key those reads still used, so the snapshot then no longer equals a
   * replay from 0 (which reads the lead as erased) and is ignored.
   */
  builtAtHead: bigint;
};

export type LoadedSnapshot = { point: SnapshotPoint; store: EmbeddedReadStore };

export type ReplaySnapshotsOptions = {
  /** a directory of their own (created when needed) */
  dir: string;
  /** a snapshot every this many lead events */
  every: number;
  /** at most this many snapshots; the least recently used go first */
  keep: number;
};

type Header = {
  format: typeof format;
  fingerprint: string;
  projections: string[];
  position: string;
  recordedAt: string;
  events: number;
  builtAtHead: string;
  /** of the read-store file: a shorter or longer file is not this snapshot */
  bytes: number;
};

const format = 'lead-replay-snapshot/2';
// A snapshot is a pair: the read-store file, then its header, written last (the header's
// presence is what makes the snapshot exist).
const storeSuffix = '.snapshot.sqlite';
const headerSuffix = '.snapshot.json';
const scratchPrefix = 'scratch-';
const erasureMarker = 'erased';
// a replay that was stopped (its worker terminated) may leave a partial file behind
const staleTemporaryMs = 60 * 60 * 1000;
// like every file in the data dir: snapshots hold what the read models hold
const ownerOnlyFile = 0o600;
const ownerOnlyDir = 0o700;

const describe = (projections: readonly Projection[]): string[] =>
  projections.map(({ name, version, collection }) => `${name}@${version}:${collection}`).sort();

const fingerprintOf = (projections: readonly Projection[]): string =>
  projectionsFingerprint(projections).toString(16).padStart(14, '0');

const baseName = (fingerprint: string, position: bigint): string =>
  `${fingerprint}-${position.toString().padStart(20, '0')}`;

/** The highest position an erasure was appended at (0n: none), as the service recorded it. */
const erasedUpTo = async (dir: string): Promise<bigint> => {
  try {
    return BigInt((await fs.readFile(join(dir, erasureMarker), 'utf8')).trim());
  } catch {
    return 0n;
  }
};

const isSnapshotFile = (name: string): boolean =>
  name.endsWith(storeSuffix) || name.endsWith(headerSuffix);

/**
 * Snapshots of the read models an as-of replay builds, at every `every`-th lead event: a copy of
 * the replay's own read-store file (a scratch EmbeddedReadStore) and a JSON header. A replay
 * starts from a copy of the newest usable one and folds only the tail through the same
 * projections into it, which gives the very documents a replay from 0 gives: the projections are
 * pure and create documents in event order, whatever the batches. Nothing is parsed to load a
 * snapshot, and documents stay on disk until a question reads them. Anything doubtful (a damaged
 * or missing file, other projection versions, an erasure since) makes a snapshot unusable, never
 * a different answer.
 */
export class ReplaySnapshots {
  // snapshots are published one after the other, so the newest is written last
  private publishing: Promise<void> = Promise.resolve();

  constructor(readonly options: ReplaySnapshotsOptions) {}

  /**
   * Records an erasure appended at `position` and deletes the snapshots read before it: they
   * hold the lead's ciphertext (never clear text), but nothing of it should outlive the key.
   */
  static async markErasure(dir: string, position: bigint): Promise<void> {
    await fs.mkdir(dir, { recursive: true, mode: ownerOnlyDir });
    if ((await erasedUpTo(dir)) >= position) return;
    const temporary = join(dir, `${erasureMarker}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(temporary, `${position}\n`, { mode: ownerOnlyFile });
    await fs.rename(temporary, join(dir, erasureMarker));
    for (const name of await fs.readdir(dir)) {
      if (isSnapshotFile(name)) await fs.rm(join(dir, name), { force: true });
    }
  }

  /**
   * Deletes the scratch files of a worker thread of this process that was terminated mid-replay
   * (a replay's own store deletes its file when closed).
   */
  static async removeScratch(dir: string, workerThreadId: number): Promise<void> {
    const owner = `${scratchPrefix}${process.pid}-${workerThreadId}-`;
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(owner)) await fs.rm(join(dir, name), { force: true });
    }
  }

  /** A new empty scratch store in the snapshot directory, for a replay to build in. */
  async scratch(): Promise<EmbeddedReadStore> {
    return new EmbeddedReadStore({ path: await this.scratchPath(), scratch: true });
  }

  /**
   * The newest usable snapshot of exactly these projections at or before the limit, copied into
   * a new scratch store; null when there is none. Unusable snapshots are deleted on the way.
   */
  async newest(
    projections: readonly Projection[],
    limit: { kind: 'position'; position: bigint } | { kind: 'time'; time: string },
  ): Promise<LoadedSnapshot | null> {
    const fingerprint = fingerprintOf(projections);
    const erased = await erasedUpTo(this.options.dir);
    const candidates = (await this.snapshots())
      .filter((file) => file.fingerprint === fingerprint)
      .filter((file) => limit.kind === 'time' || file.position <= limit.position)
      .sort((a, b) => (a.position > b.position ? -1 : 1));
    for (const { base } of candidates) {
      let loaded: LoadedSnapshot | 'unusable' | 'later';
      try {
        loaded = await this.load(base, projections, limit, erased);
      } catch {
        loaded = 'unusable';
      }
      if (loaded === 'later') continue;
      if (loaded === 'unusable') {
        await this.remove(base);
        continue;
      }
      // a snapshot in use stays among the kept ones
      const now = new Date();
      await fs.utimes(join(this.options.dir, base + headerSuffix), now, now).catch(() => undefined);
      return loaded;
    }
    return null;
  }

  /**
   * Keeps `store` (a scratch store, between commits) as the snapshot at `point`: its file is
   * copied at once, so the replay may go on; the returned promise settles when the snapshot is
   * published and the directory pruned to `keep`.
   */
  save(projections: readonly Projection[], point: SnapshotPoint, store: EmbeddedReadStore) {
    const { dir } = this.options;
    const fingerprint = fingerprintOf(projections);
    const base = baseName(fingerprint, point.position);
    const temporary = join(dir, `${base}.${randomBytes(6).toString('hex')}.tmp`);
    store.copyTo(temporary);
    const publish = async () => {
      try {
        if (await exists(join(dir, base + headerSuffix))) return;
        await fs.chmod(temporary, ownerOnlyFile);
        const header: Header = {
          format,
          fingerprint,
          projections: describe(projections),
          position: point.position.toString(),
          recordedAt: point.recordedAt,
          events: point.events,
          builtAtHead: point.builtAtHead.toString(),
          bytes: (await fs.stat(temporary)).size,
        };
        // an erasure recorded while this was written makes it useless: never publish it
        if ((await erasedUpTo(dir)) > point.builtAtHead) return;
        await fs.rename(temporary, join(dir, base + storeSuffix));
        const headerTemporary = `${temporary}.json`;
        await fs.writeFile(headerTemporary, JSON.stringify(header), { mode: ownerOnlyFile });
        await fs.rename(headerTemporary, join(dir, base + headerSuffix));
      } finally {
        await fs.rm(temporary, { force: true });
      }
      await this.prune();
    };
    this.publishing = this.publishing.then(publish, publish);
    return this.publishing;
  }

  private async load(
    base: string,
    projections: readonly Projection[],
    limit: { kind: 'position'; position: bigint } | { kind: 'time'; time: string },
    erased: bigint,
  ): Promise<LoadedSnapshot | 'unusable' | 'later'> {
    const { dir } = this.options;
    const header = JSON.parse(await fs.readFile(join(dir, base + headerSuffix), 'utf8')) as Header;
    if (
      header.format !== format ||
      header.fingerprint !== fingerprintOf(projections) ||
      JSON.stringify(header.projections) !== JSON.stringify(describe(projections)) ||
      BigInt(header.builtAtHead) < erased
    )
      return 'unusable';
    if (limit.kind === 'time' && header.recordedAt > limit.time) return 'later';
    const source = join(dir, base + storeSuffix);
    if ((await fs.stat(source)).size !== header.bytes) return 'unusable';
    const path = await this.scratchPath();
    await fs.copyFile(source, path);
    let store: EmbeddedReadStore | null = null;
    try {
      store = new EmbeddedReadStore({ path, scratch: true });
      // the file must be the read models at the header's point, and whole
      if ((await store.checkpoint(projectionsCheckpoint)) !== BigInt(header.position)) {
        await store.close();
        return 'unusable';
      }
    } catch (error) {
      await store?.close();
      await fs.rm(path, { force: true });
      throw error;
    }
    const { position, recordedAt, events, builtAtHead } = header;
    return {
      point: { position: BigInt(position), recordedAt, events, builtAtHead: BigInt(builtAtHead) },
      store,
    };
  }

  private async scratchPath(): Promise<string> {
    await fs.mkdir(this.options.dir, { recursive: true, mode: ownerOnlyDir });
    const name = `${scratchPrefix}${process.pid}-${threadId}-${randomBytes(6).toString('hex')}.sqlite`;
    return join(this.options.dir, name);
  }

  private async snapshots(): Promise<{ base: string; fingerprint: string; position: bigint }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.options.dir);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const match = /^(([0-9a-f]{14})-(\d{20}))\.snapshot\.json$/.exec(name);
      return match ? [{ base: match[1], fingerprint: match[2], position: BigInt(match[3]) }] : [];
    });
  }

  private async remove(base: string): Promise<void> {
    const { dir } = this.options;
    // the header first: without it the store file is no snapshot
    await fs.rm(join(dir, base + headerSuffix), { force: true, recursive: true });
    await fs.rm(join(dir, base + storeSuffix), { force: true, recursive: true });
  }

  // Keeps the `keep` most recently written or used snapshots; removes store files without a
  // header and partial files of replays that were stopped.
  private async prune(): Promise<void> {
    const { dir, keep } = this.options;
    const stats = await Promise.all(
      (await fs.readdir(dir)).map(async (name) => {
        const stat = await fs.stat(join(dir, name)).catch(() => null);
        return { name, modified: stat?.mtimeMs ?? 0 };
      }),
    );
    const headers = stats
      .filter(({ name }) => name.endsWith(headerSuffix))
      .sort((a, b) => b.modified - a.modified);
    for (const { name } of headers.slice(keep))
      await this.remove(name.slice(0, -headerSuffix.length));
    const kept = new Set(
      headers.slice(0, keep).map(({ name }) => name.slice(0, -headerSuffix.length)),
    );
    const old = (modified: number) => Date.now() - modified > staleTemporaryMs;
    for (const { name, modified } of stats) {
      const orphan = name.endsWith(storeSuffix) && !kept.has(name.slice(0, -storeSuffix.length));
      const stale = (name.endsWith('.tmp') || name.startsWith(scratchPrefix)) && old(modified);
      // a store file just renamed into place waits for its header: orphans go once they are old
      if ((orphan && old(modified)) || stale) await fs.rm(join(dir, name), { force: true });
    }
  }
}

const exists = (path: string): Promise<boolean> =>
  fs.access(path).then(
    () => true,
    () => false,
  );
