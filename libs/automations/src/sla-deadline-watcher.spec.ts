import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LeadCommand,
  type LeadEvent,
  type LeadPolicy,
  type SlaPolicy,
  decide,
  foldLead,
  leadStream,
} from '@lead/domain';
import {
  type EventStore,
  SqliteEventStore,
  handleCommand,
  readAllBatches,
} from '@lead/event-store';
import {
  EmbeddedReadStore,
  type ReadStore,
  leadProjections,
  projectionIndexes,
  replayInto,
} from '@lead/read-models';
import { addMinutes, testActor } from '@lead/testing';
import { SlaDeadlineWatcher } from './sla-deadline-watcher';
import { SlaRemedyRunner } from './sla-remedy-runner';

const start = '2026-03-02T09:00:00.000Z';
const leadIdOf = (n: number) => `01943a4e-3c00-7000-8000-${String(n).padStart(12, '0')}`;
const withinAnHour: SlaPolicy = { id: 'agreement@1', agreementVersion: 1, acceptWithinMinutes: 60 };
const escalate: SlaPolicy = { ...withinAnHour, remedy: { onResponseBreach: 'escalate' } };

let now = new Date(start);
const clock = () => now;
const setMinutes = (minutes: number) => {
  now = new Date(addMinutes(start, minutes));
};

let dir: string;
let eventStore: EventStore;
let readStores: ReadStore[];
beforeEach(() => {
  setMinutes(0);
  dir = mkdtempSync(join(tmpdir(), 'deadline-watcher-'));
  eventStore = new SqliteEventStore({ path: ':memory:', clock });
  readStores = [];
});
afterEach(async () => {
  for (const store of readStores) await store.close();
  await eventStore.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (leadId: string, command: LeadCommand, slaPolicy: SlaPolicy) => {
  const policy: LeadPolicy = { mqlThreshold: 60, slaPolicy };
  return handleCommand(
    eventStore,
    leadStream(leadId),
    foldLead,
    (state) => decide(command, state, policy),
    { actor: testActor, correlationId: 'test', causationId: null, occurredAt: command.occurredAt },
  );
};

// Captured, scored and handed off to rep-ana now, due an hour later.
const handedOff = async (leadId: string, slaPolicy = withinAnHour) => {
  const timed = { leadId, occurredAt: now.toISOString(), now: now.toISOString() };
  await run(
    leadId,
    {
      type: 'CaptureLead',
      email: 'ada@example.com',
      source: { campaignId: 'c', channel: 'email' },
      sourcedBy: 'marketing',
      priorTouches: [],
      ...timed,
    },
    slaPolicy,
  );
  await run(leadId, { type: 'ScoreLead', score: 80, reasons: [], ...timed }, slaPolicy);
  await run(leadId, { type: 'HandOffLead', toRep: 'rep-ana', ...timed }, slaPolicy);
};

const accepted = (leadId: string) => {
  const timed = { leadId, occurredAt: now.toISOString(), now: now.toISOString() };
  return run(leadId, { type: 'AcceptLead', acceptedBy: 'rep-ana', ...timed }, withinAnHour);
};

// The read model as the service keeps it: a SQLite file with the declared indexes, rebuilt now.
const readModel = async (): Promise<ReadStore> => {
  const events = [];
  for await (const batch of readAllBatches(eventStore)) events.push(...batch);
  const store = new EmbeddedReadStore({
    path: join(dir, `read-models-${readStores.length}.sqlite`),
  });
  readStores.push(store);
  await store.ensureIndexes(projectionIndexes(leadProjections));
  await replayInto(store, events, leadProjections);
  return store;
};

const breachedLeads = async (): Promise<string[]> => {
  const breached: string[] = [];
  for await (const batch of readAllBatches(eventStore))
    for (const event of batch)
      if (event.type === 'LeadHandoffSlaBreached') breached.push(String(event.data.leadId));
  return breached.sort();
};

describe('SlaDeadlineWatcher on a file-backed read model', () => {
  it('alerts exactly the handoffs due by now: not the answered, the not yet due or the alerted', async () => {
    await handedOff(leadIdOf(1));
    await handedOff(leadIdOf(2));
    await accepted(leadIdOf(2));
    setMinutes(30);
    await handedOff(leadIdOf(3)); // due at 90
    setMinutes(61);
    const watcher = () =>
      readModel().then(
        (readStore) =>
          new SlaDeadlineWatcher({ eventStore, readStore, now: clock, graceSeconds: 0 }),
      );

    expect(await (await watcher()).check()).toBe(1);
    expect(await breachedLeads()).toEqual([leadIdOf(1)]);
    // alerted and asking no remedy: the lead no longer waits on an automation
    expect(await (await watcher()).check()).toBe(0);
    setMinutes(90);
    expect(await (await watcher()).check()).toBe(1);
    expect(await breachedLeads()).toEqual([leadIdOf(1), leadIdOf(3)]);
  });

  it('reads a backlog larger than a page in pages: one pass alerts every due handoff once', async () => {
    for (let n = 0; n < 150; n++) {
      setMinutes(n);
      await handedOff(leadIdOf(n));
    }
    setMinutes(24 * 60);
    const readStore = await readModel();
    const watcher = new SlaDeadlineWatcher({ eventStore, readStore, now: clock, graceSeconds: 0 });
    expect(await watcher.check()).toBe(150);
    expect(new Set(await breachedLeads()).size).toBe(150);
    // the read model has not seen the alerts yet: the next pass finds them alerted in the log
    expect(await watcher.check()).toBe(0);
  });

  it('more handoffs due at one instant than a page holds: one pass alerts them all', async () => {
    for (let n = 0; n < 250; n++) await handedOff(leadIdOf(n));
    setMinutes(5);
    await handedOff(leadIdOf(250)); // a later deadline, after the ties
    setMinutes(66);
    const readStore = await readModel();
    const watcher = new SlaDeadlineWatcher({ eventStore, readStore, now: clock, graceSeconds: 0 });
    expect(await watcher.check()).toBe(251);
    expect(new Set(await breachedLeads()).size).toBe(251);
  });

  it('the remedy runner finds the live breaches asking for a remedy through the same field', async () => {
    await handedOff(leadIdOf(1), escalate);
    await handedOff(leadIdOf(2));
    setMinutes(61);
    const readStore = await readModel();
    expect(
      await new SlaDeadlineWatcher({ eventStore, readStore, now: clock, graceSeconds: 0 }).check(),
    ).toBe(2);
    setMinutes(62);
    const remedies = async () =>
      new SlaRemedyRunner({ eventStore, readStore: await readModel(), now: clock });
    expect(await (await remedies()).check()).toBe(1);
    const stream = await eventStore.readStream<LeadEvent>(leadStream(leadIdOf(1)));
    expect(stream.at(-1)?.type).toBe('LeadSlaEscalated');
    expect(await (await remedies()).check()).toBe(0);
  });
});
