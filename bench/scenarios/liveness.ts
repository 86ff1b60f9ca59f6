import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { copyLog } from '../lib/lead-log';
import { type Comparison, measure } from '../lib/report';
import { median } from '../lib/stats';

type Listening = { type: 'listening'; port: number };

const pollEveryMs = 20;
const idleMs = 2_000;
const fullSize = 1_000_000;

const p99 = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? Number.NaN;
};

// GET /health/live every 20 ms (each poll timed on its own, so a blocked event loop shows as
// the wait of every poll sent meanwhile) until `done` settles.
const pollLiveness = async (base: string, done: Promise<unknown>): Promise<number[]> => {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let finished = false;
  void done.finally(() => (finished = true)).catch(() => undefined);
  while (!finished) {
    const began = performance.now();
    inFlight.push(
      fetch(`${base}/health/live`).then(async (response) => {
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`/health/live answered ${response.status}`);
        latencies.push(performance.now() - began);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
  await Promise.all(inFlight);
  return latencies;
};

/**
 * Liveness during as-of (issue 13 item 1): the p99 of GET /health/live polled every 20 ms while
 * an as-of attribution report over the whole log runs in the same service, against the same
 * polling with nothing else running.
 */
export const livenessScenario = async (context: BenchContext): Promise<Comparison[]> => {
  const { heavyRuns: runs, logEvents } = context;
  const scale = `${logEvents.toLocaleString('en')} events`;
  const judged = logEvents >= fullSize;
  // the projection scenario's data dir when it ran (read models and as-of snapshots there), else
  // a copy of the log that the service projects first
  const ownDir = context.projectedDir ? null : mkdtempSync(join(tmpdir(), 'bench-liveness-'));
  const dataDir = context.projectedDir ?? ownDir!;
  try {
    if (ownDir) copyLog(context.logDir, ownDir);
    context.log(`  starting the service on ${scale}${ownDir ? ' (projects the log first)' : ' (read models built)'}`);
    const child = startChild(join(__dirname, '..', 'children', 'liveness.child.ts'), [dataDir], {
      verbose: context.verbose,
    });
    try {
      const { port } = await child.next<Listening>('listening', 1_800_000);
      const base = `http://127.0.0.1:${port}`;
      const idle: number[] = [];
      const during: number[] = [];
      const asOfSeconds: number[] = [];
      // warm-up (first connections, first requests through the app), not counted
      await pollLiveness(base, new Promise((resolve) => setTimeout(resolve, idleMs)));
      for (let run = 0; run < runs; run++) {
        context.log(`  liveness idle, then during an as-of report, run ${run + 1}/${runs}`);
        idle.push(p99(await pollLiveness(base, new Promise((resolve) => setTimeout(resolve, idleMs)))));
        // a different point each run: as-of workers keep their last replays
        const asOf = `position:${logEvents - run}`;
        const began = performance.now();
        const report = fetch(`${base}/attribution?model=w_shaped&groupBy=campaign&asOf=${asOf}`, {
          headers: { authorization: 'Bearer dev-analyst' },
        }).then(async (response) => {
          const body = await response.text();
          if (response.status !== 200) throw new Error(`as-of answered ${response.status}: ${body.slice(0, 300)}`);
          asOfSeconds.push((performance.now() - began) / 1000);
        });
        during.push(p99(await pollLiveness(base, report)));
        await report;
        context.log(
          `    p99 idle ${idle.at(-1)!.toFixed(1)} ms, during as-of ${during.at(-1)!.toFixed(1)} ms; as-of ${asOfSeconds.at(-1)!.toFixed(1)} s`,
        );
      }
      return [
        {
          section: `Isolation over ${scale}`,
          scenario: 'GET /health/live every 20 ms during an as-of attribution report: p99',
          ours: measure(during, 'ms'),
          baseline: { label: 'same polling, service idle', value: measure(idle, 'ms') },
          target: '< 50 ms',
          met: judged ? median(during) < 50 : null,
          note: [
            `as-of report took ${median(asOfSeconds).toFixed(1)} s (median)`,
            judged ? undefined : `target applies at 1M events (full mode); not judged at ${scale}`,
          ]
            .filter(Boolean)
            .join('; '),
        },
      ];
    } finally {
      await child.stop();
    }
  } finally {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  }
};
