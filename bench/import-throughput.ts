// Throughput of POST /imports: 4,000 leads x 5 commands (capture, score, handoff, accept,
// convert) streamed to the real app on a fresh embedded store, timed end to end. Run alone it
// prints its figures; forked by `npm run bench` (the import scenario) it sends them to the bench.
//   node -r ./scripts/swc-register.js bench/import-throughput.ts [leads]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lead/runtime';
import { createApp } from '../apps/lead-service/src/app';

const encoder = new TextEncoder();
const hex = (n: number) => n.toString(16).padStart(12, '0');

/** the file: five lines per lead, each lead's lines together */
export const importLines = function* (leads: number) {
  for (let i = 0; i < leads; i++) {
    const leadId = `0195a7f2-6c1e-7b3a-9d4e-${hex(i)}`;
    const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 9, minutes)).toISOString();
    const line = (command: string, body: object) =>
      encoder.encode(
        `${JSON.stringify({ command, leadId, idempotencyKey: `${i}-${command}`, body })}\n`,
      );
    yield line('capture', {
      email: `lead${i}@example.com`,
      source: { campaignId: 'bench', channel: 'email' },
      occurredAt: at(0),
    });
    yield line('score', { score: 80, occurredAt: at(1) });
    yield line('handoff', { toRep: `rep-${i % 20}`, occurredAt: at(2) });
    yield line('accept', { occurredAt: at(3) });
    yield line('convert', { amount: 100_000, currency: 'USD', occurredAt: at(4) });
  }
};

const main = async (leads: number) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  const app = await createApp({
    config: loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0' }),
  });
  await app.listen(0, '127.0.0.1');
  try {
    const started = process.hrtime.bigint();
    // CPU time too: on a shared machine wall time also counts what other processes took
    const cpuBefore = process.cpuUsage();
    const response = await fetch(`${await app.getUrl()}/imports`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-admin', 'content-type': 'application/x-ndjson' },
      body: ReadableStream.from(importLines(leads)),
      duplex: 'half',
    });
    const answer = (await response.json()) as { appended: number; refused: number };
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const health = (await (await fetch(`${await app.getUrl()}/health`)).json()) as {
      info?: { eventStore?: { head?: string } };
      eventStore?: { head?: string };
    };
    const events = Number(health.eventStore?.head ?? health.info?.eventStore?.head ?? NaN);
    const figures = {
      status: response.status,
      lines: leads * 5,
      ...answer,
      events,
      seconds: Number(seconds.toFixed(2)),
      linesPerSecond: Math.round((leads * 5) / seconds),
      eventsPerSecond: Math.round(events / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
    };
    if (process.send) {
      // the IPC channel would keep this process alive: closed once the figures are sent
      process.send({ type: 'imported', ...figures }, () => process.disconnect?.());
    } else console.log(JSON.stringify(figures));
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

if (require.main === module) void main(Number(process.argv[2] ?? 4000));
