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
  derivedEventId,
  handleCommand,
  readAllBatches,
} from '@lead/event-store';
import { EmbeddedReadStore, type ReadStore, leadProjections, replayInto } from '@lead/read-models';
import { addMinutes, testActor } from '@lead/testing';
import { SlaDeadlineWatcher } from './sla-deadline-watcher';
import { SlaRemedyRunner } from './sla-remedy-runner';

const leadId = '01943a4e-3c00-7000-8000-0000000000a1';
const start = '2026-03-02T09:00:00.000Z';
const reassign: SlaPolicy = {
  id: 'agreement@2',
  agreementVersion: 2,
  acceptWithinMinutes: 60,
  remedy: { onResponseBreach: 'reassign', repPool: ['rep-ana', 'rep-bo'] },
};

// One clock for the store (recordedAt) and the automations (now), moved by the test.
let now = new Date(start);
const clock = () => now;
const setMinutes = (minutes: number) => {
  now = new Date(addMinutes(start, minutes));
};

let eventStore: EventStore;
beforeEach(() => {
  setMinutes(0);
  eventStore = new SqliteEventStore({ path: ':memory:', clock });
});
afterEach(() => eventStore.close());

const run = (command: LeadCommand, slaPolicy: SlaPolicy = reassign) => {
  const policy: LeadPolicy = { mqlThreshold: 60, slaPolicy };
  return handleCommand(
    eventStore,
    leadStream(leadId),
    foldLead,
    (state) => decide(command, state, policy),
    {
      actor: testActor,
      correlationId: 'test',
      causationId: null,
      occurredAt: command.occurredAt,
    },
  );
};

// Captured, scored and handed off to rep-ana at `occurredAt`, recorded at the clock's time.
const handedOff = async (occurredAt: string, slaPolicy: SlaPolicy = reassign) => {
  const timed = { leadId, occurredAt, now: now.toISOString() };
  await run({
    type: 'CaptureLead',
    email: 'ada@example.com',
    source: { campaignId: 'c', channel: 'email' },
    sourcedBy: 'marketing',
    priorTouches: [],
    ...timed,
  });
  await run({ type: 'ScoreLead', score: 80, reasons: [], ...timed });
  await run({ type: 'HandOffLead', toRep: 'rep-ana', ...timed }, slaPolicy);
};

// The read model as the projector would have it now: rebuilt from the whole log.
const readModel = async (): Promise<ReadStore> => {
  const events = [];
  for await (const batch of readAllBatches(eventStore)) events.push(...batch);
  const store = new EmbeddedReadStore({ path: ':memory:' });
  await replayInto(store, events, leadProjections);
  return store;
};

const watcherOn = async () =>
  new SlaDeadlineWatcher({ eventStore, readStore: await readModel(), now: clock, graceSeconds: 0 });
const remediesOn = async () =>
  new SlaRemedyRunner({ eventStore, readStore: await readModel(), now: clock });

const stream = () => eventStore.readStream<LeadEvent>(leadStream(leadId));
const types = async () => (await stream()).map((event) => event.type);

describe('SlaRemedyRunner', () => {
  it('appends the stamped remedy once per live breach: actor system, caused by the breach', async () => {
    await handedOff(start);
    setMinutes(61);
    expect(await (await watcherOn()).check()).toBe(1);
    setMinutes(62);
    expect(await (await remediesOn()).check()).toBe(1);

    const [handoff, breach, reassigned] = (await stream()).slice(2);
    expect(reassigned).toMatchObject({
      type: 'LeadReassigned',
      data: {
        fromRep: 'rep-ana',
        toRep: 'rep-bo',
        previousHandoffEventId: handoff.metadata.eventId,
        breachEventId: breach.metadata.eventId,
        slaPolicy: reassign,
        dueAt: addMinutes(start, 122),
      },
      metadata: {
        eventId: derivedEventId(`sla-remedy\n${breach.metadata.eventId}`, 0),
        actor: { id: 'system', role: 'system' },
        causationId: breach.metadata.eventId,
        correlationId: handoff.metadata.eventId,
        occurredAt: addMinutes(start, 62),
      },
    });
    // remedied: the next pass finds nothing to do
    expect(await (await remediesOn()).check()).toBe(0);
  });

  it('appends nothing more when it runs again on a read model that has not caught up (a restart)', async () => {
    await handedOff(start);
    setMinutes(61);
    await (await watcherOn()).check();
    const stale = await remediesOn();
    expect(await stale.check()).toBe(1);
    expect(await stale.check()).toBe(0);
    expect(await types()).toEqual([
      'LeadCaptured',
      'LeadScored',
      'LeadHandedOff',
      'LeadHandoffSlaBreached',
      'LeadReassigned',
    ]);
  });

  it('racing runners append the remedy once', async () => {
    await handedOff(start);
    setMinutes(61);
    await (await watcherOn()).check();
    const [one, other] = [await remediesOn(), await remediesOn()];
    const counts = await Promise.all([one.check(), other.check()]);
    expect(counts[0] + counts[1]).toBe(1);
    expect((await types()).filter((type) => type === 'LeadReassigned')).toHaveLength(1);
  });

  it('remedies the reassignment again when it breaches in turn, to the next rep', async () => {
    await handedOff(start);
    setMinutes(61);
    await (await watcherOn()).check();
    await (await remediesOn()).check();
    setMinutes(122);
    expect(await (await watcherOn()).check()).toBe(1);
    expect(await (await remediesOn()).check()).toBe(1);
    const reassignments = (await stream()).filter((event) => event.type === 'LeadReassigned');
    expect(reassignments.map((event) => event.data)).toEqual([
      expect.objectContaining({ fromRep: 'rep-ana', toRep: 'rep-bo' }),
      expect.objectContaining({ fromRep: 'rep-bo', toRep: 'rep-ana' }),
    ]);
  });

  it('never remedies imported history: a handoff recorded after its deadline', async () => {
    setMinutes(24 * 60);
    await handedOff(start);
    expect(await (await watcherOn()).check()).toBe(1);
    expect(await (await remediesOn()).check()).toBe(0);
    expect(await types()).not.toContain('LeadReassigned');
  });

  it('does nothing when the terms stamped at the handoff ask for no remedy', async () => {
    await handedOff(start, { ...reassign, remedy: { onResponseBreach: 'none' } });
    setMinutes(61);
    await (await watcherOn()).check();
    expect(await (await remediesOn()).check()).toBe(0);
    expect((await types()).at(-1)).toBe('LeadHandoffSlaBreached');
  });

  it('does nothing once the lead was answered after its read model was built', async () => {
    await handedOff(start);
    setMinutes(61);
    await (await watcherOn()).check();
    const stale = await remediesOn();
    await run({
      type: 'AcceptLead',
      acceptedBy: 'rep-ana',
      leadId,
      occurredAt: now.toISOString(),
      now: now.toISOString(),
    });
    expect(await stale.check()).toBe(0);
    expect((await types()).at(-1)).toBe('LeadAccepted');
  });
});
