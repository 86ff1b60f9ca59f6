import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leadStream } from '@lead/domain';
import type { PersonalDataEventStore } from '@lead/event-store';
import { openReadView } from '@lead/read-models';
import { type AppConfig, loadConfig, openEventStore } from '@lead/runtime';
import { at, leadHistory, newEventOf } from '@lead/testing';
import { ApplicationError } from '../http/application-error';
import { AsOfPool } from './as-of-pool';
import { asOfQuestions } from './as-of-questions';

const leads = [
  '01943a4e-3c00-7000-8000-000000000101',
  '01943a4e-3c00-7000-8000-000000000102',
  '01943a4e-3c00-7000-8000-000000000103',
];

const atHead = { kind: 'position', position: 1_000n } as const;
const attributionParams = { model: 'w_shaped', groupBy: 'campaign' } as const;

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('as-of pool (worker threads)', () => {
  let dataDir: string;
  let config: AppConfig;
  let eventStore: PersonalDataEventStore;
  const pools: AsOfPool[] = [];
  const pool = (workers: number, queue: number) => {
    const created = new AsOfPool(config, workers, queue);
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'as-of-pool-'));
    config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    eventStore = await openEventStore(config, () => new Date(at(500)));
    for (const [index, leadId] of leads.entries()) {
      const history = leadHistory(index === 1 ? 'lost' : 'converted', leadId);
      await eventStore.append(leadStream(leadId), history.map(newEventOf), 'no_stream');
    }
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((created) => created.close()));
  });
  afterAll(async () => {
    await eventStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers in a worker byte for byte what the same question answers in this thread', async () => {
    const limit = { kind: 'position', position: await eventStore.headPosition() } as const;
    const inProcess = async <A>(
      question: keyof typeof asOfQuestions,
      params: unknown,
    ): Promise<A> => {
      const { projections, answer } = asOfQuestions[question];
      const view = await openReadView({ eventStore, limit, replay: { projections } });
      try {
        return await (answer as (view: unknown, params: unknown) => Promise<A>)(view, params);
      } finally {
        await view.store.close();
      }
    };
    const workers = pool(1, 4);
    const questions = [
      ['attributionReport', attributionParams],
      ['leadAttribution', { leadId: leads[0], model: 'linear' }],
      ['slaHandoffs', {}],
      ['slaSummary', { groupBy: 'month', agreement: { versions: [] as never[] } }],
      ['funnel', {}],
    ] as const;
    for (const [question, params] of questions) {
      const answer = await workers.run(question, limit, params);
      expect(JSON.stringify(answer)).toBe(JSON.stringify(await inProcess(question, params)));
    }
    const report = (await workers.run('attributionReport', limit, attributionParams)) as {
      totals: unknown[];
    };
    expect(report.totals).toHaveLength(1);
  });

  it('refuses beyond its workers and queue with busy, at once', async () => {
    const workers = pool(1, 1);
    const running = workers.run('funnel', atHead, {});
    const waiting = workers.run('funnel', atHead, {});
    const refused = await rejection(workers.run('funnel', atHead, {}));

    expect(refused).toBeInstanceOf(ApplicationError);
    expect((refused as ApplicationError).code).toBe('busy');
    await Promise.all([running, waiting]);
    expect(workers.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('terminates a running job whose client went away and frees its slot', async () => {
    const workers = pool(1, 0);
    const client = new AbortController();
    const dropped = workers.run('attributionReport', atHead, attributionParams, client.signal);
    expect(workers.load().running).toBe(1);

    client.abort();

    expect(((await rejection(dropped)) as ApplicationError).code).toBe('client_closed_request');
    expect(workers.load()).toEqual({ running: 0, waiting: 0 });
    // a fresh worker takes the next question
    await expect(workers.run('funnel', atHead, {})).resolves.toMatchObject({
      steps: expect.arrayContaining([{ stage: 'captured', count: 3 }]),
    });
  });

  it('drops a waiting job whose client went away', async () => {
    const workers = pool(1, 1);
    const running = workers.run('funnel', atHead, {});
    const client = new AbortController();
    const waiting = workers.run('funnel', atHead, {}, client.signal);
    await until(() => workers.load().waiting === 1);

    client.abort();

    expect(((await rejection(waiting)) as ApplicationError).code).toBe('client_closed_request');
    expect(workers.load().waiting).toBe(0);
    await running;
  });
});
