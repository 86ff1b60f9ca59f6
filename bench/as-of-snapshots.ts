// As-of attribution report (w_shaped by campaign) over a generated log, as an as-of worker
// answers it: a full replay from position 0 vs a replay from the newest snapshot. Each step runs
// in a fresh process so its peak RSS (VmHWM) is its own.
//   node -r ./scripts/swc-register.js bench/as-of-snapshots.ts [events] [every]
// The log is the bench's cached one (`npm run bench -- --events=N` or --quick builds it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ReplaySnapshots,
  attributionReport,
  leadAttributionProjection,
  replayUpTo,
} from '@lead/read-models';
import { loadConfig, openEventStore } from '@lead/runtime';
import { cachedLeadLog } from './lib/lead-log';

// warmFrom: a question answered first in the same process (a worker that answered it before)
type Step = { name: string; position: string; snapshots: boolean; warmFrom?: string };
type Outcome = {
  seconds: number;
  startedAt: string;
  peakRssMb: number;
  report: string;
  savedSeconds: number;
};

const peakRssMb = (): number => {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((row) => row.startsWith('VmHWM:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
};

const child = async (logDir: string, snapshotDir: string, every: number, step: Step) => {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: logDir });
  const eventStore = await openEventStore(config, () => new Date(), { readonly: true });
  const snapshots = step.snapshots
    ? new ReplaySnapshots({ dir: snapshotDir, every, keep: 8 })
    : undefined;
  if (step.warmFrom) {
    const warm = await replayUpTo(
      eventStore,
      { kind: 'position', position: BigInt(step.warmFrom) },
      { projections: [leadAttributionProjection], snapshots },
    );
    await warm.snapshotSaved;
  }
  const began = performance.now();
  const view = await replayUpTo(
    eventStore,
    { kind: 'position', position: BigInt(step.position) },
    { projections: [leadAttributionProjection], snapshots },
  );
  const report = await attributionReport(view.store, { model: 'w_shaped', groupBy: 'campaign' });
  const seconds = (performance.now() - began) / 1000;
  await view.snapshotSaved;
  const savedSeconds = (performance.now() - began) / 1000 - seconds;
  const outcome: Outcome = {
    seconds,
    startedAt: view.startedAt.toString(),
    peakRssMb: peakRssMb(),
    report: JSON.stringify({ ...report, asOf: view.asOf }),
    savedSeconds,
  };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  await eventStore.close();
};

const main = async () => {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === '--child') {
    const [logDir, snapshotDir, every, step] = rest;
    return child(logDir, snapshotDir, Number(every), JSON.parse(step) as Step);
  }
  const events = Number(mode ?? 100_000);
  const every = Number(rest[0] ?? 50_000);
  const logDir = await cachedLeadLog(events, 42, console.log);
  const snapshotDir = mkdtempSync(join(tmpdir(), 'as-of-snapshots-'));
  const run = (step: Step): Outcome => {
    const output = execFileSync(
      process.execPath,
      [
        '-r',
        './scripts/swc-register.js',
        __filename,
        '--child',
        logDir,
        snapshotDir,
        String(every),
        JSON.stringify(step),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 28 },
    );
    return JSON.parse(output.trim().split('\n').at(-1)!) as Outcome;
  };
  const head = String(events);
  const near = String(events - 1_000);
  const nearer = String(events - 500);
  const steps: Step[] = [
    { name: `full replay to position:${head}`, position: head, snapshots: false },
    { name: `first question, no snapshot yet (position:${head})`, position: head, snapshots: true },
    { name: `from a snapshot (position:${near})`, position: near, snapshots: true },
    { name: `full replay to position:${near}`, position: near, snapshots: false },
    {
      name: `worker that answered position:${near} first, then position:${nearer}`,
      position: nearer,
      snapshots: true,
      warmFrom: near,
    },
  ];
  console.log(`as-of attribution report over ${events} events, a snapshot every ${every}`);
  const outcomes = steps.map((step) => {
    const outcome = run(step);
    console.log(
      `${step.name}: ${outcome.seconds.toFixed(2)} s (from position ${outcome.startedAt}), ` +
        `peak RSS ${outcome.peakRssMb.toFixed(0)} MiB` +
        (outcome.savedSeconds > 0.01
          ? `, snapshot written in ${outcome.savedSeconds.toFixed(2)} s more`
          : ''),
    );
    return outcome;
  });
  const files = readdirSync(snapshotDir).filter((name) => name.endsWith('.snapshot.sqlite'));
  const bytes = files.reduce((sum, name) => sum + statSync(join(snapshotDir, name)).size, 0);
  console.log(`snapshots on disk: ${files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  const same = (a: Outcome, b: Outcome) => (a.report === b.report ? 'identical' : 'DIFFERENT');
  console.log(
    `reports at the head: ${same(outcomes[0], outcomes[1])}; near it: ${same(outcomes[3], outcomes[2])}`,
  );
  rmSync(snapshotDir, { recursive: true, force: true });
};

void main();
