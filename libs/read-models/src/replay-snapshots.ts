import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import { type EmbeddedStoreState, EmbeddedReadStore } from './embedded-read-store';
import type { Projection } from './projection';
import { projectionsFingerprint } from './projection-runner';
import type { Doc } from './read-store.port';

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
  /** at most this many snapshot files; the least recently used go first */
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
  checkpoints: [string, string][];
};

const format = 'lead-replay-snapshot/1';
const suffix = '.snapshot.gz';
const erasureMarker = 'erased';
// a replay that was stopped (its worker terminated) leaves its partial file behind
const staleTemporaryMs = 60 * 60 * 1000;
const chunkChars = 1 << 16;
// like every file in the data dir: snapshots hold what the read models hold
const ownerOnlyFile = 0o600;
const ownerOnlyDir = 0o700;

const describe = (projections: readonly Projection[]): string[] =>
  projections.map(({ name, version, collection }) => `${name}@${version}:${collection}`).sort();

const fingerprintOf = (projections: readonly Projection[]): string =>
  projectionsFingerprint(projections).toString(16).padStart(14, '0');

const fileName = (fingerprint: string, position: bigint): string =>
  `${fingerprint}-${position.toString().padStart(20, '0')}${suffix}`;

/** The highest position an erasure was appended at (0n: none), as the service recorded it. */
const erasedUpTo = async (dir: string): Promise<bigint> => {
  try {
    return BigInt((await fs.readFile(join(dir, erasureMarker), 'utf8')).trim());
  } catch {
    return 0n;
  }
};

/**
 * Snapshots of the read models an as-of replay builds, at every `every`-th lead event, one gzip'd
 * NDJSON file each (a header line, then per collection a `["c", name]` line and its documents in
 * insertion order, then `["end", count]`), written and read as streams. A replay starts from the
 * newest usable one and folds only the tail through the same projections, which gives the very
 * documents a replay from 0 gives: the projections are pure and create documents in event
 * order, whatever the batches. Anything doubtful (a corrupt or truncated file, other projection
 * versions, an erasure since) makes a snapshot unusable, never a different answer.
 */
export class ReplaySnapshots {
  // The state the last replay ended at, kept in memory (arrays of references to documents the
  // worker's cached replays hold anyway): a question just after it starts there, loading nothing.
  private recent: { fingerprint: string; point: SnapshotPoint; state: EmbeddedStoreState } | null =
    null;

  constructor(readonly options: ReplaySnapshotsOptions) {}

  /** Keeps the state a replay ended at as the starting point for a later point. */
  remember(projections: readonly Projection[], point: SnapshotPoint, state: EmbeddedStoreState) {
    this.recent = { fingerprint: fingerprintOf(projections), point, state };
  }

  /** Drops the state kept in memory (after an erasure). */
  forget(): void {
    this.recent = null;
  }

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
      if (name.endsWith(suffix)) await fs.rm(join(dir, name), { force: true });
    }
  }

  /**
   * The newest usable snapshot of exactly these projections at or before the limit, loaded into
   * a new in-memory store; null when there is none. Unusable files are deleted on the way.
   */
  async newest(
    projections: readonly Projection[],
    limit: { kind: 'position'; position: bigint } | { kind: 'time'; time: string },
  ): Promise<LoadedSnapshot | null> {
    const fingerprint = fingerprintOf(projections);
    const erased = await erasedUpTo(this.options.dir);
    const recent =
      this.recent &&
      this.recent.fingerprint === fingerprint &&
      this.recent.point.builtAtHead >= erased &&
      (limit.kind === 'position'
        ? this.recent.point.position <= limit.position
        : this.recent.point.recordedAt <= limit.time)
        ? this.recent
        : null;
    const candidates = (await this.files())
      .filter((file) => file.fingerprint === fingerprint)
      .filter((file) => limit.kind === 'time' || file.position <= limit.position)
      .filter((file) => file.position > (recent?.point.position ?? -1n))
      .sort((a, b) => (a.position > b.position ? -1 : 1));
    for (const { name } of candidates) {
      const path = join(this.options.dir, name);
      let loaded: LoadedSnapshot | 'unusable' | 'later';
      try {
        loaded = await this.load(path, projections, limit, erased);
      } catch {
        loaded = 'unusable';
      }
      if (loaded === 'later') continue;
      if (loaded === 'unusable') {
        await fs.rm(path, { force: true, recursive: true });
        continue;
      }
      // a snapshot in use stays among the kept ones
      const now = new Date();
      await fs.utimes(path, now, now).catch(() => undefined);
      return loaded;
    }
    if (!recent) return null;
    const store = new EmbeddedReadStore({ path: ':memory:' });
    for (const [name, position] of recent.state.checkpoints) store.importCheckpoint(name, position);
    for (const [name, docs] of recent.state.collections) {
      for (const doc of docs) store.importDocument(name, doc);
    }
    return { point: recent.point, store };
  }

  /** Writes the state as the snapshot at `point` (unless there is one), then prunes to `keep`. */
  async save(
    projections: readonly Projection[],
    point: SnapshotPoint,
    state: EmbeddedStoreState,
  ): Promise<void> {
    const { dir } = this.options;
    await fs.mkdir(dir, { recursive: true, mode: ownerOnlyDir });
    const fingerprint = fingerprintOf(projections);
    const path = join(dir, fileName(fingerprint, point.position));
    if (await exists(path)) return;
    const header: Header = {
      format,
      fingerprint,
      projections: describe(projections),
      position: point.position.toString(),
      recordedAt: point.recordedAt,
      events: point.events,
      builtAtHead: point.builtAtHead.toString(),
      checkpoints: state.checkpoints,
    };
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await pipeline(
        Readable.from(lines(header, state)),
        createGzip({ level: 1 }),
        createWriteStream(temporary, { mode: ownerOnlyFile }),
      );
      // an erasure recorded while this was written makes it useless: never publish it
      if ((await erasedUpTo(dir)) > point.builtAtHead) throw new Error('erased meanwhile');
      await fs.rename(temporary, path);
    } finally {
      await fs.rm(temporary, { force: true });
    }
    await this.prune();
  }

  private async load(
    path: string,
    projections: readonly Projection[],
    limit: { kind: 'position'; position: bigint } | { kind: 'time'; time: string },
    erased: bigint,
  ): Promise<LoadedSnapshot | 'unusable' | 'later'> {
    const file = createReadStream(path);
    const input = file.pipe(createGunzip());
    // pipe does not pass on the file's errors (gone meanwhile, unreadable): the read must fail
    file.on('error', (error) => input.destroy(error));
    const store = new EmbeddedReadStore({ path: ':memory:' });
    let header: Header | null = null;
    let collection: string | null = null;
    let documents = 0;
    let ended = false;
    const take = (line: string): 'unusable' | 'later' | null => {
      if (ended) return 'unusable';
      const value = JSON.parse(line) as unknown;
      if (header === null) {
        header = value as Header;
        if (
          header.format !== format ||
          header.fingerprint !== fingerprintOf(projections) ||
          JSON.stringify(header.projections) !== JSON.stringify(describe(projections)) ||
          BigInt(header.builtAtHead) < erased
        )
          return 'unusable';
        if (limit.kind === 'time' && header.recordedAt > limit.time) return 'later';
        for (const [name, position] of header.checkpoints) store.importCheckpoint(name, position);
        return null;
      }
      if (Array.isArray(value)) {
        if (value[0] === 'c' && typeof value[1] === 'string') collection = value[1];
        else if (value[0] === 'end' && value[1] === documents) ended = true;
        else return 'unusable';
        return null;
      }
      if (collection === null || value === null || typeof value !== 'object') return 'unusable';
      store.importDocument(collection, value as Doc);
      documents += 1;
      return null;
    };
    try {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      for await (const chunk of input) {
        const text = pending + decoder.write(chunk as Buffer);
        const parts = text.split('\n');
        pending = parts.pop()!;
        for (const line of parts) {
          const verdict = take(line);
          if (verdict) return verdict;
        }
      }
      pending += decoder.end();
      if (pending.length > 0 || !ended || header === null) return 'unusable';
      const { position, recordedAt, events, builtAtHead } = header as Header;
      return {
        point: {
          position: BigInt(position),
          recordedAt,
          events,
          builtAtHead: BigInt(builtAtHead),
        },
        store,
      };
    } finally {
      file.destroy();
      input.destroy();
      if (!ended || header === null) await store.close();
    }
  }

  private async files(): Promise<{ name: string; fingerprint: string; position: bigint }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.options.dir);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const match = /^([0-9a-f]{14})-(\d{20})\.snapshot\.gz$/.exec(name);
      return match ? [{ name, fingerprint: match[1], position: BigInt(match[2]) }] : [];
    });
  }

  // Keeps the `keep` most recently written or used snapshots, and removes partial files of
  // replays that were stopped.
  private async prune(): Promise<void> {
    const { dir, keep } = this.options;
    const stats = await Promise.all(
      (await fs.readdir(dir)).map(async (name) => {
        const stat = await fs.stat(join(dir, name)).catch(() => null);
        return { name, modified: stat?.mtimeMs ?? 0 };
      }),
    );
    const snapshots = stats
      .filter(({ name }) => name.endsWith(suffix))
      .sort((a, b) => b.modified - a.modified);
    const stale = stats.filter(
      ({ name, modified }) => name.endsWith('.tmp') && Date.now() - modified > staleTemporaryMs,
    );
    for (const { name } of [...snapshots.slice(keep), ...stale]) {
      await fs.rm(join(dir, name), { force: true });
    }
  }
}

const exists = (path: string): Promise<boolean> =>
  fs.access(path).then(
    () => true,
    () => false,
  );

// Serialised a document at a time into chunks of about 64 KiB, so the file is never one string.
function* lines(header: Header, state: EmbeddedStoreState): Generator<string> {
  let chunk = `${JSON.stringify(header)}\n`;
  let documents = 0;
  for (const [name, docs] of state.collections) {
    chunk += `${JSON.stringify(['c', name])}\n`;
    for (const doc of docs) {
      chunk += `${JSON.stringify(doc)}\n`;
      documents += 1;
      if (chunk.length >= chunkChars) {
        yield chunk;
        chunk = '';
      }
    }
  }
  yield `${chunk}${JSON.stringify(['end', documents])}\n`;
}
