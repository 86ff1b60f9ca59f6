import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LeadFact, attributionModels, foldLead, leadStream } from '@lead/domain';
import { type RecordedEvent, derivedEventId } from '@lead/event-store';
import {
  type Doc,
  EmbeddedReadStore,
  attributionGroupings,
  leadProjections,
  projectionsCheckpoint,
  rebuild,
  slaGroupings,
} from '@lead/read-models';
import { loadConfig, openEventStore } from '@lead/runtime';
import { type JsonResponse, closeClientSockets, sendJson } from './json-client';
import { checkLeadLog } from './lead-log-checks';
import { type Random, seededRandom } from './seeded-random';
import { type ServiceProcess, startServiceOnFreePort } from './service-process';

// The real service in a child process, SIGKILLed at seeded random moments while six clients fire
// commands at it, restarted each time. Clients retry a command whose outcome they could not learn
// only when it carries an Idempotency-Key, as a real client would.
//
// The Kafka relay is off here (KAFKA_BROKERS unset): its resume-after-crash guarantee (checkpoint
// plus idempotent, keyed publishing) is covered by libs/messaging's event-relay int test against
// the real broker of `npm run infra` (kill -9 included), so this test checks the log and the read
// models only.

const seed = 20_260_302;
const kills = 5;
const clientCount = 6;
const leadCount = 150;
const mqlThreshold = 60;
const maxAttempts = 6;

type Role = 'marketing' | 'sales';
type Step = 'capture' | 'engage' | 'score' | 'handoff' | 'accept' | 'reject' | 'convert' | 'lose';
type Command = {
  id: string;
  leadId: string;
  step: Step;
  role: Role;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string | null;
};
type Outcome =
  | { kind: 'acknowledged'; status: number; revision: number; position: string }
  | { kind: 'refused'; status: number; code: string }
  | { kind: 'unknown'; error: string };
type Fired = { command: Command; outcome: Outcome; attempts: number };
type LeadView = { stage: string; score: number | null };

const steps: Step[] = [
  'capture',
  'engage',
  'score',
  'handoff',
  'accept',
  'reject',
  'convert',
  'lose',
];
const commandTypes: Record<Step, { type: string; event: string; status: number }> = {
  capture: { type: 'CaptureLead', event: 'LeadCaptured', status: 201 },
  engage: { type: 'EngageLead', event: 'LeadEngaged', status: 201 },
  score: { type: 'ScoreLead', event: 'LeadScored', status: 200 },
  handoff: { type: 'HandOffLead', event: 'LeadHandedOff', status: 200 },
  accept: { type: 'AcceptLead', event: 'LeadAccepted', status: 200 },
  reject: { type: 'RejectLead', event: 'LeadRejected', status: 200 },
  convert: { type: 'ConvertLead', event: 'LeadConverted', status: 200 },
  lose: { type: 'LoseLead', event: 'LeadLost', status: 200 },
};
const campaigns = ['spring-webinar', 'ads-q1', 'newsletter', 'ebook'];
const channels = ['webinar', 'paid_search', 'email', 'content'];
const reps = ['rep-ana', 'rep-bo', 'rep-cy'];

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
};

// What a client believes about a lead: from its acknowledged commands, corrected from the log
// (history) after a refusal.
const nextStep = (random: Random, view: LeadView | undefined): Step | null => {
  // now and then a command the lead is in no stage for, to provoke the domain's refusals
  if (random.chance(0.06)) return random.pick(steps);
  if (!view) return 'capture';
  const roll = random.next();
  switch (view.stage) {
    case 'captured':
      if (view.score === null) return roll < 0.4 ? 'engage' : 'score';
      return roll < 0.3 ? 'engage' : 'handoff';
    case 'mql':
      return roll < 0.25 ? 'engage' : 'handoff';
    case 'nurturing':
      return roll < 0.5 ? 'handoff' : roll < 0.7 ? 'lose' : roll < 0.85 ? 'score' : 'engage';
    case 'handed_off':
      return roll < 0.55 ? 'accept' : roll < 0.8 ? 'reject' : roll < 0.9 ? 'lose' : 'engage';
    case 'accepted':
      return roll < 0.8 ? 'convert' : 'lose';
    default:
      return null;
  }
};

const commandFor = (
  random: Random,
  id: string,
  leadId: string,
  step: Step,
  view?: LeadView,
): Command => {
  const marketing = (
    body: Record<string, unknown>,
    path: string,
  ): Omit<Command, 'id' | 'leadId' | 'step' | 'idempotencyKey'> => ({
    role: 'marketing',
    body,
    path,
  });
  const sales = (body: Record<string, unknown>, path: string) => ({
    ...marketing(body, path),
    role: 'sales' as const,
  });
  const at = `/leads/${leadId}`;
  const parts = (() => {
    switch (step) {
      case 'capture': {
        const body: Record<string, unknown> = {
          leadId,
          email: `lead-${leadId.slice(0, 8)}@example.com`,
          name: `Lead ${leadId.slice(0, 4)}`,
          source: { campaignId: random.pick(campaigns), channel: random.pick(channels) },
        };
        if (random.chance(0.3)) {
          body.priorTouches = [
            {
              campaignId: random.pick(campaigns),
              channel: random.pick(channels),
              occurredAt: '2026-01-15T10:00:00Z',
            },
          ];
        }
        if (random.chance(0.2)) return { ...sales({ ...body, sourcedBy: 'sales' }, '/leads') };
        return marketing(body, '/leads');
      }
      case 'engage':
        return marketing(
          {
            campaignId: random.pick(campaigns),
            channel: random.pick(channels),
            kind: random.pick(['email_click', 'page_view']),
          },
          `${at}/engagements`,
        );
      case 'score': {
        const score = random.int(30, 96);
        return marketing({ score, reasons: [{ rule: 'fit', points: score }] }, `${at}/score`);
      }
      case 'handoff': {
        const belowThreshold = view?.score === null || (view?.score ?? 0) < mqlThreshold;
        return marketing(
          belowThreshold
            ? { toRep: random.pick(reps), override: { reason: 'asked for a call' } }
            : { toRep: random.pick(reps) },
          `${at}/handoff`,
        );
      }
      case 'accept':
        return sales({}, `${at}/accept`);
      case 'reject':
        return sales({ reason: random.pick(['not_icp', 'not_ready']) }, `${at}/reject`);
      case 'convert':
        return sales(
          { amount: random.int(1_000, 500_000), currency: random.pick(['EUR', 'USD']) },
          `${at}/convert`,
        );
      case 'lose':
        return random.chance(0.5)
          ? marketing({ reason: 'no_budget' }, `${at}/lose`)
          : sales({ reason: 'went_with_competitor' }, `${at}/lose`);
    }
  })();
  return { id, leadId, step, ...parts, idempotencyKey: random.chance(0.75) ? `key-${id}` : null };
};

const afterAck = (view: LeadView | undefined, command: Command): LeadView => {
  const score = typeof command.body.score === 'number' ? command.body.score : null;
  switch (command.step) {
    case 'capture':
      return { stage: 'captured', score: null };
    case 'score': {
      const stage =
        view?.stage === 'captured' || view?.stage === 'mql'
          ? score! >= mqlThreshold
            ? 'mql'
            : 'captured'
          : (view?.stage ?? 'captured');
      return { stage, score };
    }
    case 'handoff':
      return { stage: 'handed_off', score: view?.score ?? null };
    case 'accept':
      return { stage: 'accepted', score: view?.score ?? null };
    case 'reject':
      return { stage: 'nurturing', score: view?.score ?? null };
    case 'convert':
      return { stage: 'converted', score: view?.score ?? null };
    case 'lose':
      return { stage: 'lost', score: view?.score ?? null };
    case 'engage':
      return view ?? { stage: 'captured', score: null };
  }
};

const bearer = (role: string) => ({ authorization: `Bearer dev-${role}` });

const rowToEvent = (row: {
  position: number;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}): RecordedEvent => ({
  streamId: row.stream_id,
  revision: row.revision,
  position: BigInt(row.position),
  type: row.type,
  data: JSON.parse(row.data) as RecordedEvent['data'],
  metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
});

// A consistent copy of a live data directory without its read models: SQLite files through the
// online backup API (a plain copy could catch a write half way), anything else (keys) as is.
const copyWithoutReadModels = async (from: string, to: string): Promise<void> => {
  for (const name of readdirSync(from)) {
    if (name.startsWith('read-models') || name.endsWith('-wal') || name.endsWith('-shm')) continue;
    const source = join(from, name);
    if (name.endsWith('.sqlite')) {
      const db = new Database(source, { readonly: true, fileMustExist: true });
      await db.backup(join(to, name));
      db.close();
    } else {
      cpSync(source, join(to, name), { recursive: statSync(source).isDirectory() });
    }
  }
};

// SLA answers name the wall-clock instant they judged open handoffs at; the two services answer
// a few seconds apart (every handoff is far from due, so no status depends on it).
const withoutNow = (body: unknown): unknown => {
  if (typeof body !== 'object' || body === null || !('now' in body)) return body;
  const rest: Record<string, unknown> = { ...body };
  delete rest.now;
  return rest;
};

describe('crash safety: the real service, SIGKILLed at random moments', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-crash-'));
  const rebuildDir = mkdtempSync(join(tmpdir(), 'lead-crash-rebuild-'));
  const processes: ServiceProcess[] = [];
  const fired: Fired[] = [];
  const acknowledgedPerGeneration = new Map<number, number>();
  const unexpectedTransportErrors: string[] = [];
  const serverErrors: string[] = [];
  let log: RecordedEvent[] = [];
  let responsesAfterCrashes = new Map<string, JsonResponse>();
  let responsesFromRebuild = new Map<string, JsonResponse>();
  const recoveredDocs = new Map<string, Doc[]>();
  const rebuiltDocs = new Map<string, Doc[]>();
  let recoveredCheckpoint: bigint | null = null;
  let head = 0n;
  const historyProblems: string[] = [];

  const start = async (port?: number): Promise<ServiceProcess> => {
    const service = await startServiceOnFreePort({ dataDir, port });
    processes.push(service);
    return service;
  };

  beforeAll(async () => {
    const random = seededRandom(seed);
    const leadIds = Array.from({ length: leadCount }, () => random.uuid());
    const views = new Map<string, LeadView>();
    const killedGenerations = new Set<number>();
    let service = await start();
    let generation = 0;
    let ready = Promise.resolve();
    let restarted = deferred();
    let finished = false;
    let sent = 0;
    let sentTarget = Number.POSITIVE_INFINITY;
    let targetReached = deferred();
    let nextId = 0;

    const send = async (entry: Fired): Promise<Outcome> => {
      const { command } = entry;
      for (let attempt = 1; ; attempt++) {
        await ready;
        entry.attempts = attempt;
        const sentIn = generation;
        const url = service.url;
        sent += 1;
        if (sent >= sentTarget) targetReached.resolve();
        try {
          const response = await sendJson(`${url}${command.path}`, {
            body: command.body,
            headers: {
              ...bearer(command.role),
              'x-correlation-id': command.id,
              ...(command.idempotencyKey ? { 'idempotency-key': command.idempotencyKey } : {}),
            },
          });
          if (response.status >= 500)
            serverErrors.push(`${command.path}: ${response.status} ${response.text}`);
          if (response.status >= 200 && response.status < 300) {
            const body = response.body as { leadId: string; revision: number; position: string };
            acknowledgedPerGeneration.set(sentIn, (acknowledgedPerGeneration.get(sentIn) ?? 0) + 1);
            if (body.leadId !== command.leadId)
              serverErrors.push(`${command.id}: answered for lead ${body.leadId}`);
            return {
              kind: 'acknowledged',
              status: response.status,
              revision: body.revision,
              position: body.position,
            };
          }
          return {
            kind: 'refused',
            status: response.status,
            code: (response.body as { code?: string })?.code ?? '?',
          };
        } catch (error) {
          if (!killedGenerations.has(sentIn)) {
            unexpectedTransportErrors.push(`${command.id} in run ${sentIn}: ${String(error)}`);
            return { kind: 'unknown', error: String(error) };
          }
          if (!command.idempotencyKey || attempt >= maxAttempts)
            return { kind: 'unknown', error: String(error) };
          // the service died under this request: wait for the restart, then retry with the same key
          while (generation <= sentIn && !finished) await restarted.promise;
          if (generation <= sentIn) return { kind: 'unknown', error: String(error) };
        }
      }
    };

    // after a refusal, learn the lead's real stage from the log itself (history is not eventually
    // consistent), so the client's next choice is a sensible one again
    const relearn = async (leadId: string): Promise<void> => {
      await ready;
      try {
        const response = await sendJson(`${service.url}/leads/${leadId}/history`, {
          headers: bearer('auditor'),
        });
        if (response.status === 404) views.delete(leadId);
        if (response.status !== 200) return;
        const state = foldLead((response.body as { events: LeadFact[] }).events);
        if (state.stage === 'initial') views.delete(leadId);
        else views.set(leadId, { stage: state.stage, score: state.score });
      } catch {
        // the service died meanwhile; the next refusal will ask again
      }
    };

    const client = async (index: number): Promise<void> => {
      const clientRandom = seededRandom(seed + index + 1);
      while (!finished) {
        let leadId = clientRandom.pick(leadIds);
        let step = nextStep(clientRandom, views.get(leadId));
        for (let tries = 0; step === null && tries < 20; tries++) {
          leadId = clientRandom.pick(leadIds);
          step = nextStep(clientRandom, views.get(leadId));
        }
        if (step === null) step = 'engage';
        const command = commandFor(
          clientRandom,
          `cmd-${index}-${nextId++}`,
          leadId,
          step,
          views.get(leadId),
        );
        const entry: Fired = {
          command,
          outcome: { kind: 'unknown', error: 'in flight' },
          attempts: 0,
        };
        fired.push(entry);
        entry.outcome = await send(entry);
        if (entry.outcome.kind === 'acknowledged')
          views.set(leadId, afterAck(views.get(leadId), command));
        if (entry.outcome.kind === 'refused') await relearn(leadId);
      }
    };

    const runUntilSent = async (count: number): Promise<void> => {
      sentTarget = sent + count;
      targetReached = deferred();
      await targetReached.promise;
    };

    const clients = Array.from({ length: clientCount }, (_, index) => client(index));
    for (let kill = 0; kill < kills; kill++) {
      await runUntilSent(random.int(40, 140));
      // a few milliseconds later, so some kills land between commit and answer
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 20)));
      const down = deferred();
      ready = down.promise;
      killedGenerations.add(generation);
      await service.crash();
      service = await start(service.port);
      generation += 1;
      const wake = restarted;
      restarted = deferred();
      wake.resolve();
      down.resolve();
    }
    await runUntilSent(120);
    finished = true;
    restarted.resolve();
    await Promise.all(clients);

    // Everything has been answered. The log as stored, read straight from the file (read-only,
    // beside the live service); then let the projector reach its head and compare what the
    // survivor answers with what a fresh service rebuilding from the same log answers.
    const db = new Database(join(dataDir, 'events.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      log = db
        .prepare(
          // lead streams only: the agreement stream (issue 12) is written by the service itself
          "SELECT position, stream_id, revision, type, data, metadata FROM events WHERE stream_id LIKE 'lead-%' ORDER BY position",
        )
        .all()
        .map((row) => rowToEvent(row as Parameters<typeof rowToEvent>[0]));
    } finally {
      db.close();
    }
    head = log.at(-1)?.position ?? 0n;
    const admin = bearer('admin');
    const consistent = await sendJson(`${service.url}/funnel?consistentWith=${head}`, {
      headers: admin,
    });
    if (consistent.status !== 200)
      throw new Error(`read models did not reach ${head}: ${consistent.text}`);

    const streamIds = [...new Set(log.map((event) => event.streamId))];
    const leadIdsInLog = streamIds.map((stream) => stream.slice('lead-'.length));
    const converted = log
      .filter((event) => event.type === 'LeadConverted')
      .map((event) => event.data.leadId as string);

    const queries = [
      ...attributionModels.flatMap((model) =>
        attributionGroupings.map((groupBy) => `/attribution?model=${model}&groupBy=${groupBy}`),
      ),
      ...converted.slice(0, 15).map((leadId) => `/attribution/leads/${leadId}?model=w_shaped`),
      '/sla/handoffs',
      ...slaGroupings.map((groupBy) => `/sla/summary?groupBy=${groupBy}`),
      '/funnel',
      '/leads?stage=converted&limit=500',
      ...leadIdsInLog.map((leadId) => `/leads/${leadId}`),
    ];
    const answers = async (url: string): Promise<Map<string, JsonResponse>> => {
      const map = new Map<string, JsonResponse>();
      for (const query of queries)
        map.set(query, await sendJson(`${url}${query}`, { headers: admin }));
      // every page of the lead list, following the cursors
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const query: string = `/leads?limit=17${cursor ? `&cursor=${cursor}` : ''}`;
        const response = await sendJson(`${url}${query}`, { headers: admin });
        map.set(`/leads page ${page}`, response);
        cursor = (response.body as { nextCursor?: string | null }).nextCursor ?? null;
        if (!cursor) break;
      }
      return map;
    };
    responsesAfterCrashes = await answers(service.url);

    for (const leadId of leadIdsInLog) {
      const response = await sendJson(`${service.url}/leads/${leadId}/history`, {
        headers: bearer('auditor'),
      });
      const body = response.body as { events: unknown[]; chain: { valid: boolean } };
      const stored = log.filter((event) => event.streamId === leadStream(leadId)).length;
      if (response.status !== 200 || !body.chain.valid || body.events.length !== stored) {
        historyProblems.push(`${leadId}: ${response.status} ${response.text.slice(0, 300)}`);
      }
    }

    await copyWithoutReadModels(dataDir, rebuildDir);
    const fresh = await startServiceOnFreePort({ dataDir: rebuildDir });
    processes.push(fresh);
    responsesFromRebuild = await answers(fresh.url);
    await fresh.stop();

    // One more crash, then the survivor's read-model file against an in-process rebuild.
    await service.crash();
    const recovered = new EmbeddedReadStore({ path: join(dataDir, 'read-models.sqlite') });
    const rebuilt = new EmbeddedReadStore({ path: ':memory:' });
    // opened as the service opens it: personal fields decrypted with the copied keys
    const eventStore = await openEventStore(
      loadConfig({ NODE_ENV: 'test', DATA_DIR: rebuildDir }),
      () => new Date(),
    );
    try {
      await rebuild(rebuilt, eventStore, leadProjections);
      recoveredCheckpoint = await recovered.checkpoint(projectionsCheckpoint);
      const byId = (a: Doc, b: Doc) => a._id.localeCompare(b._id);
      for (const { collection } of leadProjections) {
        recoveredDocs.set(collection, (await recovered.collection(collection).find({})).sort(byId));
        rebuiltDocs.set(collection, (await rebuilt.collection(collection).find({})).sort(byId));
      }
    } finally {
      await Promise.all([recovered.close(), rebuilt.close(), eventStore.close()]);
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(processes.map((service) => service.crash()));
    closeClientSockets();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rebuildDir, { recursive: true, force: true });
    const count = (kind: Outcome['kind']) =>
      fired.filter((entry) => entry.outcome.kind === kind).length;
    const refusals: Record<string, number> = {};
    for (const { outcome } of fired)
      if (outcome.kind === 'refused') refusals[outcome.code] = (refusals[outcome.code] ?? 0) + 1;
    console.log(
      `crash safety: ${fired.length} commands fired (${fired.filter((entry) => entry.attempts > 1).length} retried with their Idempotency-Key after a kill), ${count('acknowledged')} acknowledged, ` +
        `${count('refused')} refused ${JSON.stringify(refusals)}, ${count('unknown')} outcome unknown; ` +
        `${kills} SIGKILLs survived (+1 final); ${log.length} events in ${new Set(log.map((e) => e.streamId)).size} streams; ` +
        `acknowledged per run ${JSON.stringify(Object.fromEntries(acknowledgedPerGeneration))}`,
    );
  });

  it('came back after every kill and kept acknowledging commands, never with a 5xx', () => {
    expect(serverErrors).toEqual([]);
    expect(unexpectedTransportErrors).toEqual([]);
    for (let generation = 0; generation <= kills; generation++) {
      expect(acknowledgedPerGeneration.get(generation) ?? 0).toBeGreaterThan(0);
    }
    const refusedCodes = new Set(
      fired.flatMap(({ outcome }) =>
        outcome.kind === 'refused' ? [`${outcome.status} ${outcome.code}`] : [],
      ),
    );
    // every refusal is the domain's; the commands themselves were all well-formed
    for (const refusal of refusedCodes) expect(refusal).toMatch(/^409 |^404 lead_not_found$/);
  });

  it('stores every acknowledged command exactly once and nothing of a refused one', () => {
    const byCorrelation = new Map<string, RecordedEvent[]>();
    for (const event of log) {
      const events = byCorrelation.get(event.metadata.correlationId) ?? [];
      byCorrelation.set(event.metadata.correlationId, [...events, event]);
    }
    const problems: string[] = [];
    for (const { command, outcome } of fired) {
      const events = byCorrelation.get(command.id) ?? [];
      byCorrelation.delete(command.id);
      if (outcome.kind === 'refused' && events.length > 0)
        problems.push(`${command.id}: refused but stored`);
      if (outcome.kind === 'unknown' && events.length > 1)
        problems.push(`${command.id}: stored ${events.length} times`);
      if (outcome.kind !== 'acknowledged') continue;
      if (events.length !== 1) {
        problems.push(`${command.id}: acknowledged, stored ${events.length} times`);
        continue;
      }
      const [event] = events;
      const expected = commandTypes[command.step];
      if (
        event.streamId !== leadStream(command.leadId) ||
        event.revision !== outcome.revision ||
        event.position.toString() !== outcome.position ||
        event.type !== expected.event ||
        outcome.status !== expected.status
      ) {
        problems.push(
          `${command.id}: acknowledged ${JSON.stringify(outcome)}, stored ${event.type} ${event.streamId}@${event.revision}`,
        );
      }
      if (command.idempotencyKey) {
        const scope = [
          `${command.role}-dev`,
          expected.type,
          command.leadId,
          command.idempotencyKey,
        ].join('\n');
        if (event.metadata.eventId !== derivedEventId(scope, 0))
          problems.push(`${command.id}: event id not derived from its key`);
      }
    }
    // and nothing in the log that no client sent
    for (const [correlationId, events] of byCorrelation)
      problems.push(`${correlationId}: ${events.length} events nobody sent`);
    expect(problems).toEqual([]);
    expect(fired.filter(({ outcome }) => outcome.kind === 'acknowledged').length).toBeGreaterThan(
      300,
    );
  });

  it('holds no half-written event: integrity check, gapless streams, chains and stream heads agree', () => {
    const db = new Database(join(dataDir, 'events.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const heads = db
        .prepare("SELECT stream_id, revision, hash FROM streams WHERE stream_id LIKE 'lead-%'")
        .all() as {
        stream_id: string;
        revision: number;
        hash: string;
      }[];
      const streams = new Map<string, RecordedEvent[]>();
      for (const event of log)
        streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
      expect(heads).toHaveLength(streams.size);
      for (const streamHead of heads) {
        const last = streams.get(streamHead.stream_id)?.at(-1);
        expect({
          stream: streamHead.stream_id,
          revision: last?.revision,
          hash: last?.metadata.hash,
        }).toEqual({
          stream: streamHead.stream_id,
          revision: streamHead.revision,
          hash: streamHead.hash,
        });
      }
    } finally {
      db.close();
    }
    expect(historyProblems).toEqual([]);
  });

  it('keeps every lead a legal sequence of domain transitions with an intact chain', () => {
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of log)
      streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event]);
    const problems = [...streams.values()].flatMap(
      (events) => checkLeadLog(events, { mqlThreshold }).problems,
    );
    expect(problems).toEqual([]);
  });

  it('answers every query exactly as a fresh service rebuilding from the same log does', () => {
    // converted leads, so attribution has money to split
    const linear = responsesAfterCrashes.get('/attribution?model=linear&groupBy=campaign');
    expect((linear?.body as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    expect([...responsesFromRebuild.keys()]).toEqual([...responsesAfterCrashes.keys()]);
    for (const [query, survivor] of responsesAfterCrashes) {
      const fresh = responsesFromRebuild.get(query)!;
      expect({ query, status: survivor.status, body: withoutNow(survivor.body) }).toEqual({
        query,
        status: fresh.status,
        body: withoutNow(fresh.body),
      });
      expect({ query, status: survivor.status }).toEqual({ query, status: 200 });
    }
  });

  it('holds exactly the read-model documents a rebuild from scratch produces', () => {
    expect(recoveredCheckpoint).toBe(head);
    for (const { collection } of leadProjections) {
      expect(recoveredDocs.get(collection)?.length).toBeGreaterThan(0);
      expect({ collection, docs: recoveredDocs.get(collection) }).toEqual({
        collection,
        docs: rebuiltDocs.get(collection),
      });
    }
  });
});
