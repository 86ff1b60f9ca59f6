import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@lead/runtime';
import { createApp } from '../../apps/lead-service/src/app';
import { exitOnRequest, failChild, onParent, reportToParent } from '../lib/child';

// Cold start of lead-service on an existing DATA_DIR: createApp resolves once the projections
// have caught up with the log. Then, on request, an as-of attribution report over the whole log
// (a replay through the same projections in an as-of worker, from position 0 or from a snapshot
// an earlier replay left in DATA_DIR) and the same report from the live read models. Usage: app-start.child.ts <dataDir>
const attributionUrl = (asOf?: string): string =>
  `/attribution?model=w_shaped&groupBy=campaign${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`;

const publishedSnapshot = async (dir: string): Promise<void> => {
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.snapshot.json'))) {
      // the last of them may still be renaming: give the queue a moment
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};

const main = async (): Promise<void> => {
  const loadedMs = performance.now();
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: process.argv[2], RATE_LIMIT_PER_MINUTE: '1000000' });
  const began = performance.now();
  const app = await createApp({ config });
  const readyMs = performance.now();
  exitOnRequest(() => app.close());

  onParent('as-of', async (message) => {
    const request = (url: string) =>
      app.inject({ method: 'GET', url, headers: { authorization: 'Bearer dev-analyst' } });
    const liveBegan = performance.now();
    const live = await request(attributionUrl());
    const liveMs = performance.now() - liveBegan;
    const asOfBegan = performance.now();
    const replayed = await request(attributionUrl(`position:${String(message.position)}`));
    const asOfMs = performance.now() - asOfBegan;
    if (live.statusCode !== 200 || replayed.statusCode !== 200) {
      throw new Error(`attribution answered ${live.statusCode} / ${replayed.statusCode}: ${replayed.body.slice(0, 300)}`);
    }
    // the worker publishes the snapshots it passed after it answers: wait for them, as a running
    // service would, so the next process can start from one
    await publishedSnapshot(join(process.argv[2], 'as-of-snapshots'));
    const liveRows = (live.json() as { rows: unknown[] }).rows;
    const replayedRows = (replayed.json() as { rows: unknown[] }).rows;
    reportToParent({
      type: 'as-of-done',
      asOfMs,
      liveMs,
      // the replay must answer exactly what the live read models answer at the head
      identical: JSON.stringify(liveRows) === JSON.stringify(replayedRows),
      rows: replayedRows.length,
      // the whole answer, to compare a replay from a snapshot with one from position 0
      body: replayed.body,
    });
  });

  reportToParent({
    type: 'ready',
    createAppMs: readyMs - began,
    processToReadyMs: readyMs,
    moduleLoadMs: loadedMs,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  });
};

main().catch(failChild);
