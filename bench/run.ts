import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedLeadLog } from './lib/lead-log';
import type { BenchContext } from './lib/context';
import { type Comparison, describeMachine, printTable, renderMarkdown } from './lib/report';
import { projectionScenario } from './scenarios/projection';
import { httpScenario } from './scenarios/http-commands';
import { importScenario } from './scenarios/import';
import { livenessScenario } from './scenarios/liveness';
import { readAllScenario } from './scenarios/read-all';
import { storeAppendScenario } from './scenarios/store-append';

const usage = `usage: npm run bench [-- options]
  --quick            small log (100k events), fewer runs: under two minutes once set up
  --only=a,b         run only these scenarios: append, read, http, projection, liveness, import
  --events=N         size of the generated log (default 100000 quick, 1000000 full)
  --seed=N           seed of the generated log (default 42)
  --no-peers         skip Emmett (no install of bench/peers)
  --profile          write CPU profiles of the child processes to bench/.cache/profiles
  --out=FILE         where to write the report (default BENCHMARKS.md; with --only, none unless given)
  --verbose          show the child processes' output`;

const scenarios = {
  append: storeAppendScenario,
  read: readAllScenario,
  http: httpScenario,
  projection: projectionScenario,
  liveness: livenessScenario,
  import: importScenario,
} satisfies Record<string, (context: BenchContext) => Promise<Comparison[]>>;
type ScenarioName = keyof typeof scenarios;

const root = join(__dirname, '..');
const peersDir = join(__dirname, 'peers');
const cacheDir = join(__dirname, '.cache');

const parseArgs = (args: string[]) => {
  const flags = new Map<string, string>();
  for (const arg of args) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument ${arg}\n${usage}`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const known = ['quick', 'only', 'events', 'seed', 'no-peers', 'profile', 'out', 'verbose', 'help'];
  for (const flag of flags.keys()) if (!known.includes(flag)) throw new Error(`unknown option --${flag}\n${usage}`);
  const only = flags.get('only')?.split(',') ?? Object.keys(scenarios);
  for (const name of only) if (!(name in scenarios)) throw new Error(`unknown scenario ${name}\n${usage}`);
  const quick = flags.has('quick');
  return {
    help: flags.has('help'),
    quick,
    only: only as ScenarioName[],
    partial: flags.has('only'),
    events: Number(flags.get('events') ?? (quick ? 100_000 : 1_000_000)),
    seed: Number(flags.get('seed') ?? 42),
    peers: !flags.has('no-peers'),
    profile: flags.has('profile'),
    out: flags.get('out') ?? (flags.has('only') ? null : join(root, 'BENCHMARKS.md')),
    verbose: flags.has('verbose'),
  };
};

const emmettInstalled = (): boolean =>
  existsSync(join(peersDir, 'node_modules', '@event-driven-io', 'emmett-sqlite', 'package.json')) &&
  existsSync(join(peersDir, 'node_modules', 'sqlite3', 'package.json'));

// The peer lives in its own package folder (own .npmrc with legacy-peer-deps), never in the
// project's node_modules. sqlite3 compiles from source on first install (a few minutes).
const installPeers = (log: (line: string) => void): boolean => {
  if (emmettInstalled()) return true;
  log('installing the Emmett peer into bench/peers (first run only; sqlite3 compiles from source)...');
  const began = performance.now();
  const result = spawnSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund'], {
    cwd: peersDir,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  log(`  peer install ${result.status === 0 ? 'done' : 'FAILED'} in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  return result.status === 0 && emmettInstalled();
};

const typeScriptSources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : typeScriptSources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|e2e-spec|int-spec)\.ts$/.test(entry.name) ? [path] : [];
  });

// Children then load compiled files from the cache and never load swc (see scripts/swc-register.js).
const precompile = (): void => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const register = require('../scripts/swc-register.js') as { precompile(files: string[]): void };
  register.precompile(['apps', 'libs', 'bench'].flatMap((dir) => typeScriptSources(join(root, dir))));
};

const methodology = (context: BenchContext): string[] => [
  'ratio = ours ÷ baseline (for latencies and seconds, lower is better, so a ratio above 1 is slower).',
  `Append: SqliteEventStore (WAL, synchronous=NORMAL plus an fdatasync of the -wal file off the event loop before any append is acknowledged — FULL's guarantee —, hash chain, stream heads, group commit) appends LeadScored-sized events with UUIDv7 ids to ${1000} streams with the expected revision; "sequential" awaits each append, "64 in flight" keeps 64 appends pending (what concurrent HTTP requests do). Raw better-sqlite3 inserts the same rows into the same events table at the same durability, one transaction per append, and in the concurrent case also 64 appends per transaction (what group commit can at best achieve). Every run starts from an empty file.`,
  'Emmett SQLite (bench/peers, its defaults: a new connection per call; and `connectionOptions: { singleton: true }`) runs the same sequential workloads in a child process, since its default pool can crash its process; it reports the synchronous level it ran at.',
  `Read $all: pages of 1,000 in position order over the generated log, every event's data and metadata JSON-parsed, through SqliteEventStore.readAll against the same SELECT with raw better-sqlite3.`,
  'HTTP: the app (createApp, fresh DATA_DIR, embedded SQLite, projector running in-process), a bare NestJS route on the same Fastify adapter and a bare node:http server (reads the JSON body, answers JSON; the floor issue 13 measures against) run in child processes; autocannon runs in the bench process. Throughput counts 2xx answers only. Score requests go round-robin to leads captured beforehand, so each reads and appends to an existing stream.',
  `Generated log: ${context.logEvents.toLocaleString('en')} events from seed ${context.seed} (about five events per lead: capture with prior touches, engagements, scores, handoffs, accept/reject, conversion or loss; 48 campaigns, 40 reps), appended through the event store the app opens (SqliteEventStore behind personal-data encryption, keys in keys.sqlite) in group commits of 20,000 events, and cached in bench/.cache.`,
  'First start and catch-up: a child process runs createApp on a copy of the log without read models, so the app projects the whole log (its ProjectionRunner, reading personal fields sealed, into the file-backed EmbeddedReadStore) before it resolves; catch-up = events ÷ that time to ready. Cold start: a child process runs createApp on the same DATA_DIR, now holding the log and its read models (resolves once projections are caught up); peak RSS is VmHWM from /proc/<pid>/status read by the bench. As-of: GET /attribution?model=w_shaped&groupBy=campaign&asOf=position:<head> in that app (the first from position 0 in an as-of worker, into a scratch read-store file, leaving snapshots in DATA_DIR; the last in another process, from the newest snapshot), checked against the same report from the live read models and against each other.',
  'Liveness during as-of: the app (createApp on the projection scenario\'s DATA_DIR: the log, its read models and the as-of snapshots; with --only=liveness, a copy of the log it projects first) listening on loopback in a child process; the bench sends GET /health/live every 20 ms (each request timed alone, so a blocked event loop shows in every poll sent meanwhile) for 2 s idle, then while GET /attribution?model=w_shaped&groupBy=campaign&asOf=position:<head − run> runs (a new point each run, as workers cache their last replays); p99 of each phase per run.',
];

const main = async (): Promise<void> => {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(usage);
    return;
  }
  const log = (line: string) => console.log(line);
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  mkdirSync(cacheDir, { recursive: true });
  const setupBegan = performance.now();
  precompile();

  const needsEmmett = options.only.includes('append') && options.peers;
  const emmettAvailable = needsEmmett && installPeers(log);
  const needsLog = options.only.some((name) => ['read', 'projection', 'liveness'].includes(name));
  const logDir = needsLog ? await cachedLeadLog(options.events, options.seed, log) : '';
  const profileDir = options.profile ? join(cacheDir, 'profiles') : null;
  const setupSeconds = (performance.now() - setupBegan) / 1000;

  const context: BenchContext = {
    quick: options.quick,
    runs: options.quick ? 3 : 5,
    heavyRuns: options.quick ? 1 : 3,
    logEvents: options.events,
    seed: options.seed,
    logDir,
    peersDir,
    emmettAvailable,
    projectedDir: null,
    profileDir,
    verbose: options.verbose,
    log,
    notes: [],
  };
  const machine = describeMachine(peersDir);
  const began = performance.now();
  const comparisons: Comparison[] = [];
  const failed: ScenarioName[] = [];
  for (const name of options.only) {
    log(`${name}...`);
    const scenarioBegan = performance.now();
    try {
      comparisons.push(...(await scenarios[name](context)));
      log(`${name} done in ${((performance.now() - scenarioBegan) / 1000).toFixed(1)} s`);
    } catch (error) {
      // one broken scenario must not cost the figures of the others
      failed.push(name);
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      context.notes.push(`scenario ${name} FAILED: ${message}`);
      log(`${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  const durationSeconds = (performance.now() - began) / 1000;
  if (context.projectedDir) rmSync(context.projectedDir, { recursive: true, force: true });

  console.log('');
  printTable(comparisons, log);
  console.log(`\nmeasured in ${durationSeconds.toFixed(0)} s (set-up ${setupSeconds.toFixed(0)} s: peer install, log generation when not cached)`);
  if (needsEmmett && !emmettAvailable) context.notes.push('Emmett could not be installed into bench/peers: its comparisons are missing.');
  if (setupSeconds > 1) context.notes.push(`set-up before measuring took ${setupSeconds.toFixed(0)} s (peer install and log generation; both cached for later runs)`);
  if (options.out) {
    writeFileSync(
      options.out,
      renderMarkdown({
        machine,
        command,
        mode: options.quick ? 'quick' : 'full',
        durationSeconds,
        comparisons,
        notes: context.notes,
        methodology: methodology(context),
        // hand-written findings (profiles, what limits each missed target), kept with the bench
        analysis: readFileSync(join(__dirname, 'analysis.md'), 'utf8'),
      }),
    );
    log(`wrote ${options.out}`);
  }
  if (failed.length > 0) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
