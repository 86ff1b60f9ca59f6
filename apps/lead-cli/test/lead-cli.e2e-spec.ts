import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import {
  EmbeddedReadStore,
  deadLettersCollection,
  leadSummaryProjection,
  parkedEventWrite,
  projectionsCheckpoint,
} from '@lead/read-models';
import { loadConfig, openEventStore } from '@lead/runtime';
import { runCli } from '../src/cli-program';
import type { ReplaySummary } from '../src/replay/replay.command';
import type { SeedSummary } from '../src/seed-demo/seed-demo.command';
import { planDemo } from '../src/seed-demo/seed-demo.plan';
import type { VerifyReport } from '../src/verify/verify.command';
import { type Service, freePort, startService } from './lead-service-process';

// The CLI against the real service: spawned from source (apps never import each other), seeded
// through its HTTP API by seed-demo, then stopped; every other command reads its DATA_DIR.

const root = join(__dirname, '..', '..', '..');
const anchor = '2026-06-30T00:00:00.000Z';
const leads = 60;
const seed = 'e2e';

type Run = { code: number; stdout: string; stderr: string };

const collector = (): { stream: Writable; text: () => string } => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
};

const cli = async (args: string[], env: NodeJS.ProcessEnv): Promise<Run> => {
  const [stdout, stderr] = [collector(), collector()];
  const code = await runCli(args, {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    now: () => new Date(),
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

const json = <T>(run: Run): T => {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
};

const sqlite = (dataDir: string, readonly = true) =>
  new Database(join(dataDir, 'events.sqlite'), { readonly, fileMustExist: true });

// The lead streams only: the agreement stream (issue 12) is written at the service's first start.
const logSize = (dataDir: string): number => {
  const db = sqlite(dataDir);
  try {
    return db
      .prepare<[], number>("SELECT count(*) FROM events WHERE stream_id LIKE 'lead-%'")
      .pluck()
      .get()!;
  } finally {
    db.close();
  }
};

const firstLeadPosition = (dataDir: string): number => {
  const db = sqlite(dataDir);
  try {
    return db
      .prepare<[], number>("SELECT min(position) FROM events WHERE stream_id LIKE 'lead-%'")
      .pluck()
      .get()!;
  } finally {
    db.close();
  }
};

const headPosition = (dataDir: string): number => {
  const db = sqlite(dataDir);
  try {
    return db.prepare<[], number>('SELECT max(position) FROM events').pluck().get()!;
  } finally {
    db.close();
  }
};

const api = async <T>(service: Service, path: string): Promise<T> => {
  const response = await fetch(`${service.url}${path}`, {
    headers: { authorization: 'Bearer dev-analyst' },
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

const readModels = async (dataDir: string) => {
  const store = new EmbeddedReadStore({ path: join(dataDir, 'read-models.sqlite') });
  try {
    const dump = async (name: string) => store.collection(name).find({}, { sort: { _id: 1 } });
    return {
      leads: await dump('leads'),
      attribution: await dump('attribution'),
      logHead: await dump('log_head'),
      checkpoint: await store.checkpoint(projectionsCheckpoint),
    };
  } finally {
    await store.close();
  }
};

type AttributionAnswer = {
  model: string;
  groupBy: string;
  asOf: { position: string; recordedAt: string | null };
  rows: { key: string; currency: string; amount: number; conversions: number }[];
  totals: { currency: string; amount: number; conversions: number }[];
};
type ReportAnswer = { asOf: { position: string }; now?: string; [field: string]: unknown };
type SlaAnswer = {
  asOf: { position: string };
  now: string;
  groupBy: string;
  rows: { key: string; handoffs: number; met: number; breached: number; open: number }[];
  marketingVolume: unknown[];
};

describe('lead-cli against a seeded service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-cli-'));
  const scratch: string[] = [];
  const env = { DATA_DIR: dataDir };
  const seeded: { first?: SeedSummary; second?: SeedSummary; sizes: number[] } = { sizes: [] };
  const answers: {
    attribution?: AttributionAnswer;
    sla?: SlaAnswer;
    quality?: ReportAnswer;
    bands?: ReportAnswer;
    marketing?: ReportAnswer;
    sales?: ReportAnswer;
  } = {};

  const copyOfData = (): string => {
    const copy = mkdtempSync(join(tmpdir(), 'lead-cli-copy-'));
    scratch.push(copy);
    cpSync(dataDir, copy, { recursive: true });
    return copy;
  };

  beforeAll(async () => {
    const service = await startService(dataDir);
    try {
      const seedArgs = ['seed-demo', '--leads', String(leads), '--seed', seed, '--anchor', anchor];
      const args = [...seedArgs, '--url', service.url, '--format', 'json'];
      seeded.first = json<SeedSummary>(await cli(args, env));
      seeded.sizes.push(logSize(dataDir));
      seeded.second = json<SeedSummary>(await cli(args, env));
      seeded.sizes.push(logSize(dataDir));
      // the service's own answers, once its projections have reached the head
      const head = headPosition(dataDir);
      answers.attribution = await api<AttributionAnswer>(
        service,
        `/attribution?model=w_shaped&groupBy=campaign&consistentWith=${head}`,
      );
      answers.sla = await api<SlaAnswer>(
        service,
        `/sla/summary?groupBy=rep&consistentWith=${head}`,
      );
      const report = (path: string) =>
        api<ReportAnswer>(
          service,
          `${path}${path.includes('?') ? '&' : '?'}consistentWith=${head}`,
        );
      answers.quality = await report('/quality?groupBy=channel');
      answers.bands = await report('/quality/score-bands');
      answers.marketing = await report('/scorecards/marketing');
      answers.sales = await report('/scorecards/sales?groupBy=month');
    } finally {
      await service.stop();
    }
  }, 180_000);

  afterAll(() => {
    for (const dir of [dataDir, ...scratch]) rmSync(dir, { recursive: true, force: true });
  });

  describe('seed-demo', () => {
    it('sends the whole plan through the API: one event per command, every lead in its stream', () => {
      const plan = planDemo({ seed, leads, anchor, mqlThreshold: 60, slaMinutes: 1440 });
      const commands = plan.reduce((sum, lead) => sum + lead.steps.length, 0);
      expect(seeded.first).toMatchObject({ leads, commands, anchor, seed });
      expect(seeded.sizes[0]).toBe(commands);
      const db = sqlite(dataDir);
      try {
        const perStream = db
          .prepare<[], { stream_id: string; events: number }>(
            "SELECT stream_id, count(*) AS events FROM events WHERE stream_id LIKE 'lead-%' GROUP BY stream_id",
          )
          .all();
        expect(Object.fromEntries(perStream.map((row) => [row.stream_id, row.events]))).toEqual(
          Object.fromEntries(plan.map((lead) => [`lead-${lead.leadId}`, lead.steps.length])),
        );
        // business times as planned: at or before the anchor
        const latest = db
          .prepare<[], string>(
            "SELECT max(json_extract(metadata, '$.occurredAt')) FROM events WHERE stream_id LIKE 'lead-%'",
          )
          .pluck()
          .get()!;
        expect(latest <= anchor).toBe(true);
      } finally {
        db.close();
      }
      expect(seeded.first!.conversions.map((total) => total.currency)).toEqual(['EUR', 'USD']);
    });

    it('appends nothing when the same seed runs again', () => {
      expect(seeded.sizes[1]).toBe(seeded.sizes[0]);
      const { first, second } = seeded;
      expect(second!.commands).toBe(first!.commands);
      // the service reports its log head: appended and replayed commands are told apart
      if (first!.newEvents !== null) {
        expect(first!.newEvents).toBe(first!.commands);
        expect(second).toMatchObject({ newEvents: 0, alreadyPresent: second!.commands });
      }
    });

    it('fails with a clear message when the service is not there', async () => {
      const port = await freePort();
      const run = await cli(
        ['seed-demo', '--leads', '1', '--url', `http://127.0.0.1:${port}`, '--anchor', anchor],
        env,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: cannot reach the service at http:\/\/127\.0\.0\.1:\d+/);
    });
  });

  describe('attribution', () => {
    it('answers from the live read models exactly what the API answered', async () => {
      const live = json<AttributionAnswer>(
        await cli(['attribution', '--model', 'w_shaped', '--format', 'json'], env),
      );
      expect(live).toEqual(answers.attribution);
      expect(live.model).toBe('w_shaped@1');
      expect(live.rows.length).toBeGreaterThan(3);
    });

    it('as of the head, replayed into memory, equals the live answer', async () => {
      const head = headPosition(dataDir);
      const replayed = json<AttributionAnswer>(
        await cli(
          ['attribution', '--model', 'w_shaped', '--as-of', `position:${head}`, '--format', 'json'],
          env,
        ),
      );
      expect(replayed).toEqual(answers.attribution);
      expect(replayed.asOf.position).toBe(String(head));
    });

    it('as of an earlier position knows fewer conversions', async () => {
      const half = Math.floor(headPosition(dataDir) / 2);
      const args = [
        'attribution',
        '--model',
        'linear',
        '--group-by',
        'channel',
        '--format',
        'json',
      ];
      const then = json<AttributionAnswer>(
        await cli([...args, '--as-of', `position:${half}`], env),
      );
      const now = json<AttributionAnswer>(await cli(args, env));
      const count = (answer: AttributionAnswer) =>
        answer.totals.reduce((sum, total) => sum + total.conversions, 0);
      expect(then.asOf.position).toBe(String(half));
      expect(count(then)).toBeLessThan(count(now));
    });

    it('writes CSV: one line per row, amounts in minor units', async () => {
      const run = await cli(['attribution', '--model', 'w_shaped', '--format', 'csv'], env);
      expect(run.code).toBe(0);
      const [header, ...lines] = run.stdout.trimEnd().split('\n');
      expect(header).toBe('key,currency,amount,conversions');
      expect(lines).toEqual(
        answers.attribution!.rows.map(
          (row) => `${row.key},${row.currency},${row.amount},${row.conversions}`,
        ),
      );
    });

    it('groups by sourcing team, and prints a table for people', async () => {
      const run = await cli(
        ['attribution', '--model', 'first_touch', '--group-by', 'sourcedBy'],
        env,
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^attribution first_touch@1 by sourcedBy, as of position \d+/);
      expect(run.stdout).toMatch(/\nsourcedBy +currency +amount +conversions\n/);
      expect(run.stdout).toMatch(/\nmarketing +(EUR|USD) +[\d,]+\.\d\d +\d+\n/);
      expect(run.stdout).toContain('\ntotals\n');
    });

    it('refuses bad input with a message and exit code 1', async () => {
      const missing = await cli(['attribution'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("required option '--model <model>' not specified");
      const model = await cli(['attribution', '--model', 'best_guess'], env);
      expect(model.code).toBe(1);
      expect(model.stderr).toContain('Allowed choices are first_touch');
      const asOf = await cli(['attribution', '--model', 'linear', '--as-of', 'last tuesday'], env);
      expect(asOf).toMatchObject({ code: 1, stdout: '' });
      expect(asOf.stderr).toBe(
        'error: --as-of must be position:<n> or an ISO-8601 time, got "last tuesday"\n',
      );
      const beyond = await cli(
        ['attribution', '--model', 'linear', '--as-of', 'position:99999999'],
        env,
      );
      expect(beyond.stderr).toMatch(/^error: --as-of position 99999999 has not been written yet/);
      const elsewhere = await cli(['attribution', '--model', 'linear'], {
        DATA_DIR: join(dataDir, 'nope'),
      });
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toMatch(
        /^error: no event log at .*nope.*events\.sqlite: set DATA_DIR/,
      );
    });
  });

  describe('sla', () => {
    it('answers from the live read models what the API answered', async () => {
      const live = json<SlaAnswer>(await cli(['sla', '--format', 'json'], env));
      // every planned deadline is long past, so the instant they are judged at changes nothing
      expect({ ...live, now: null }).toEqual({ ...answers.sla, now: null });
      expect(live.rows.map((row) => row.key)).toEqual(
        expect.arrayContaining(['rep-ana', 'rep-eli']),
      );
      expect(live.rows.some((row) => row.breached > 0)).toBe(true);
    });

    it('as of a time, by month, and as CSV', async () => {
      const byMonth = json<SlaAnswer>(
        await cli(
          ['sla', '--group-by', 'month', '--as-of', new Date().toISOString(), '--format', 'json'],
          env,
        ),
      );
      // handoffs follow captures by days at most: the six months before the anchor
      const months = byMonth.rows.map((row) => row.key);
      expect(months.every((key) => /^202[56]-\d\d$/.test(key) && key <= '2026-06')).toBe(true);
      expect(months.length).toBeGreaterThanOrEqual(5);
      const total = (answer: SlaAnswer) => answer.rows.reduce((sum, row) => sum + row.handoffs, 0);
      expect(total(byMonth)).toBe(total(answers.sla!));

      const csv = await cli(['sla', '--format', 'csv'], env);
      const [header, ...lines] = csv.stdout.trimEnd().split('\n');
      expect(header).toBe(
        'key,handoffs,met,breached,open,compliance,responseMedianMinutes,responseP90Minutes,speedToLeadMedianMinutes,speedToLeadP90Minutes,followUps,followUpsMet,followUpsBreached,followUpsOpen,followUpCompliance',
      );
      expect(lines).toHaveLength(answers.sla!.rows.length);
    });
  });

  describe('quality and scorecards', () => {
    // the planned deadlines are long past, so the instant they are judged at changes nothing
    const withoutNow = (answer: ReportAnswer) => ({ ...answer, now: null });

    it('answer from the live read models what the API answered', async () => {
      const run = (args: string[]) => cli([...args, '--format', 'json'], env);
      expect(json(await run(['quality', '--group-by', 'channel']))).toEqual(answers.quality);
      expect(json(await run(['quality', '--score-bands']))).toEqual(answers.bands);
      expect(json(await run(['scorecard', 'marketing']))).toEqual(answers.marketing);
      const sales = json<ReportAnswer>(await run(['scorecard', 'sales', '--group-by', 'month']));
      expect(withoutNow(sales)).toEqual(withoutNow(answers.sales!));
      expect((answers.quality!.rows as unknown[]).length).toBeGreaterThan(3);
    });

    it('as of the head, replayed into memory, answer the same', async () => {
      const asOf = ['--as-of', `position:${headPosition(dataDir)}`, '--format', 'json'];
      const replayed = json<ReportAnswer>(await cli(['scorecard', 'marketing', ...asOf], env));
      expect(replayed).toEqual(answers.marketing);
      const quality = json<ReportAnswer>(
        await cli(['quality', '--group-by', 'channel', ...asOf], env),
      );
      expect(quality).toEqual(answers.quality);
    });

    it('print tables for people and CSV with one line per row', async () => {
      const table = await cli(['scorecard', 'sales'], env);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^sales scorecard by rep, as of position \d+/);
      expect(table.stdout).toMatch(/\nrep +handoffs +on time +late +unanswered +response/);
      const bands = await cli(['quality', '--score-bands'], env);
      expect(bands.stdout).toMatch(/\n80-100 +\d+ +\d+ +\d+ +[\d.]+% +[\d.]+%\n/);
      const csv = await cli(['scorecard', 'marketing', '--format', 'csv'], env);
      const [header, ...lines] = csv.stdout.trimEnd().split('\n');
      expect(header).toBe(
        'month,mqls,handoffs,volumeTarget,volumeMet,accepted,rejected,overturned,acceptanceRate,qualityTarget,qualityMet,sourcedRevenue,agreementVersion',
      );
      expect(lines).toHaveLength((answers.marketing!.months as unknown[]).length);
    });

    it('refuse an unknown team or grouping with exit code 1', async () => {
      const team = await cli(['scorecard', 'finance'], env);
      expect(team.code).toBe(1);
      expect(team.stderr).toContain('Allowed choices are marketing, sales');
      const groupBy = await cli(['quality', '--group-by', 'rep'], env);
      expect(groupBy.code).toBe(1);
      expect(groupBy.stderr).toContain('Allowed choices are campaign, channel, sourcedBy, month');
    });
  });

  describe('replay', () => {
    it('summarises what was known at the head: stages, conversions per currency, handoffs by status', async () => {
      const head = headPosition(dataDir);
      const summary = json<ReplaySummary>(
        await cli(['replay', '--to', `position:${head}`, '--format', 'json'], env),
      );
      expect(summary.events).toBe(seeded.sizes[0]);
      expect(summary.leads).toBe(leads);
      expect(Object.values(summary.stages).reduce((sum, count) => sum + count, 0)).toBe(leads);
      expect(summary.conversions).toEqual(answers.attribution!.totals);
      const sla = answers.sla!.rows;
      const sum = (field: 'handoffs' | 'met' | 'breached' | 'open') =>
        sla.reduce((total, row) => total + row[field], 0);
      expect(summary.handoffs).toEqual({
        total: sum('handoffs'),
        met: sum('met'),
        breached: sum('breached'),
        open: sum('open'),
      });
    });

    it('at the first lead event knows one captured lead', async () => {
      const first = firstLeadPosition(dataDir);
      const summary = json<ReplaySummary>(
        await cli(['replay', '--to', `position:${first}`, '--format', 'json'], env),
      );
      expect(summary).toMatchObject({ events: 1, leads: 1, conversions: [] });
      expect(summary.stages.captured).toBe(1);
      const text = await cli(['replay', '--to', `position:${first}`], env);
      expect(text.stdout).toContain(`replayed 1 events, as of position ${first}`);
    });

    it('refuses a point in the future', async () => {
      const run = await cli(['replay', '--to', '2999-01-01T00:00:00Z'], env);
      expect(run).toMatchObject({ code: 1, stderr: 'error: --to must not be in the future\n' });
    });
  });

  describe('rebuild', () => {
    it('rebuilds from the log exactly the read models the service projected live', async () => {
      const projected = await readModels(dataDir);
      expect(projected.leads).toHaveLength(leads);
      const copy = copyOfData();
      for (const suffix of ['', '-wal', '-shm'])
        rmSync(join(copy, `read-models.sqlite${suffix}`), { force: true });
      const run = await cli(['rebuild'], { DATA_DIR: copy });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `^rebuilt 3 read models from ${seeded.sizes[0]} events up to position ${headPosition(dataDir)} in`,
        ),
      );
      expect(await readModels(copy)).toEqual(projected);
    });
  });

  describe('retry-parked', () => {
    it('re-projects a document whose event was parked, and empties dead_letters', async () => {
      const projected = await readModels(dataDir);
      const copy = copyOfData();
      // park the last event of one lead, as the runner does when a projection throws on it
      const eventStore = await openEventStore(loadConfig({ DATA_DIR: copy }), () => new Date());
      const [last] = (await eventStore.readAll({ streamPrefix: 'lead-' })).slice(-1);
      await eventStore.close();
      const readStore = new EmbeddedReadStore({ path: join(copy, 'read-models.sqlite') });
      const leadId = last.streamId.slice('lead-'.length);
      const parked = parkedEventWrite(
        leadSummaryProjection,
        leadId,
        last,
        new Error('boom'),
        anchor,
      );
      await readStore.commit(projectionsCheckpoint, last.position, [parked]);
      await readStore.close();

      const run = await cli(['retry-parked'], { DATA_DIR: copy });
      expect(run).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^parked 1: 1 resolved, 0 failed again/),
      });
      const after = new EmbeddedReadStore({ path: join(copy, 'read-models.sqlite') });
      try {
        expect(await after.collection(deadLettersCollection).count()).toBe(0);
      } finally {
        await after.close();
      }
      expect((await readModels(copy)).leads).toEqual(projected.leads);
    });
  });

  describe('verify', () => {
    const cliScript = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts
      .cli as string;
    // `npm run cli -- verify` as a real process, for its exit code and output
    const verifyProcess = (data: string, args: string[] = []) =>
      spawnSync('sh', ['-c', `${cliScript} verify ${args.join(' ')}`], {
        cwd: root,
        // embedded only: `npm test` exports MONGO_URL and KAFKA_BROKERS for the real-server suites
        env: {
          ...process.env,
          MONGO_URL: '',
          MONGO_DB: '',
          KAFKA_BROKERS: '',
          EVENTSTORE_URL: '',
          DATA_DIR: data,
        },
        encoding: 'utf8',
      });

    it('reports every chain intact', async () => {
      const run = await cli(['verify'], env);
      expect(run).toEqual({
        code: 0,
        stdout: `ok ${leads} streams, ${seeded.sizes[0]} events\n`,
        stderr: '',
      });
    });

    it('reports an edited event at its revision, with exit code 1', () => {
      const copy = copyOfData();
      const db = sqlite(copy, false);
      const converted = db
        .prepare<[], { position: number; stream_id: string; revision: number; event_id: string }>(
          "SELECT position, stream_id, revision, event_id FROM events WHERE type = 'LeadConverted' ORDER BY position LIMIT 1",
        )
        .get()!;
      // someone "corrects" the amount in the stored event
      db.prepare(
        "UPDATE events SET data = json_set(data, '$.amount', json_extract(data, '$.amount') + 100) WHERE position = ?",
      ).run(converted.position);
      db.close();
      const run = verifyProcess(copy);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe(
        `broken ${converted.stream_id} at revision ${converted.revision} (event ${converted.event_id}): hash does not match the event content\n` +
          `1 of ${leads} streams broken (${seeded.sizes[0]} events checked)\n`,
      );
      const intactLead = planDemo({ seed, leads: 1, anchor, mqlThreshold: 60, slaMinutes: 1440 })[0]
        .leadId;
      if (`lead-${intactLead}` !== converted.stream_id) {
        expect(verifyProcess(copy, ['--lead', intactLead]).status).toBe(0);
      }
      expect(
        verifyProcess(copy, ['--lead', converted.stream_id.slice('lead-'.length)]).status,
      ).toBe(1);
    });

    it('reports an event deleted from the middle of a stream as the gap it leaves', async () => {
      const copy = copyOfData();
      const db = sqlite(copy, false);
      const stream = db
        .prepare<[], string>(
          'SELECT stream_id FROM events GROUP BY stream_id HAVING count(*) >= 5 ORDER BY stream_id LIMIT 1',
        )
        .pluck()
        .get()!;
      db.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 2').run(stream);
      db.close();
      const run = await cli(['verify', '--format', 'json'], { DATA_DIR: copy });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as VerifyReport;
      expect(report).toMatchObject({ streams: leads, events: seeded.sizes[0] - 1 });
      expect(report.broken).toEqual([
        {
          streamId: stream,
          revision: 2,
          eventId: expect.any(String),
          reason: 'revision 2 is missing',
        },
      ]);
    });

    it('refuses a lead id that is not a UUID, and a lead without events', async () => {
      expect(await cli(['verify', '--lead', 'abc'], env)).toMatchObject({
        code: 1,
        stderr: 'error: --lead must be a lead id (a UUID), got "abc"\n',
      });
      const unknown = await cli(['verify', '--lead', '00000000-0000-4000-8000-000000000000'], env);
      expect(unknown).toMatchObject({
        code: 1,
        stderr: 'error: lead 00000000-0000-4000-8000-000000000000 has no events\n',
      });
    });
  });
});
