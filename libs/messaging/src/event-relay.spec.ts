import type { RecordedEvent } from '@lead/event-store';
import { SqliteEventStore } from '@lead/event-store';
import { agreementStream } from '@lead/domain';
import {
  agreementApproved,
  agreementProposed,
  agreementWithdrawn,
  at,
  leadHandedOff,
  leadHistory,
  leadRejected,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  resetEventIds,
  salesActivityLogged,
  testActor,
} from '@lead/testing';
import {
  appendAgreement,
  appendInterleaved,
  leadIdFor,
  MemoryCheckpoints,
  ScriptedPublisher,
} from '../test/relay-fixtures';
import { toKafkaRecord } from './cloud-events';
import { EventPublisher } from './event-publisher.port';
import {
  backoffDelay,
  defaultRelayBackoff,
  EventRelay,
  type EventRelayOptions,
  type Sleep,
} from './event-relay';
import type { LogLevel } from './messaging-log';

const clock = () => new Date('2026-01-05T12:00:00.000Z');
const ids = (events: RecordedEvent[]) => events.map((event) => event.metadata.eventId);
const positions = (events: RecordedEvent[]) => events.map((event) => event.position);
const brokerDown = () => new Error('broker down');

describe('backoffDelay', () => {
  it('doubles from 200 ms and is capped at 10 s by default', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map((attempt) =>
      backoffDelay(defaultRelayBackoff, attempt),
    );

    expect(delays).toStrictEqual([200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000]);
  });
});

describe('EventRelay', () => {
  let store: SqliteEventStore;
  let logs: [LogLevel, string][];
  const relays: EventRelay[] = [];

  const relayWith = (
    options: Partial<EventRelayOptions> & Pick<EventRelayOptions, 'publisher' | 'checkpoints'>,
  ) => {
    const relay = new EventRelay({
      eventStore: store,
      log: (level, message) => logs.push([level, message]),
      ...options,
    });
    relays.push(relay);
    return relay;
  };
  const leadEvents = () => store.readAll({ streamPrefix: 'lead-' });

  beforeEach(() => {
    resetEventIds();
    logs = [];
    store = new SqliteEventStore({ path: ':memory:', clock });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await store.close();
  });

  it('publishes every lead event once, in log order, checkpointing after each acknowledged batch', async () => {
    await appendInterleaved(
      store,
      [1, 2, 3, 4].map((n) => leadHistory('converted', leadIdFor(n))),
    );
    // not a lead stream: never published
    await store.append(
      'watcher-state',
      [
        {
          type: 'Tick',
          data: {},
          metadata: {
            eventId: 'tick-1',
            occurredAt: clock().toISOString(),
            actor: testActor,
            correlationId: 'c',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
    const publisher = new ScriptedPublisher();
    const checkpoints = new MemoryCheckpoints();
    const relay = relayWith({ publisher, checkpoints, maxBatchSize: 6 });

    await relay.start();
    await relay.caughtUp();

    const stored = await leadEvents();
    expect(stored).toHaveLength(20);
    expect(ids(publisher.acknowledged)).toStrictEqual(ids(stored));
    expect(publisher.attempts.map((batch) => batch.length)).toStrictEqual([6, 6, 6, 2]);
    expect(checkpoints.commits).toStrictEqual(
      publisher.attempts.map((batch) => batch[batch.length - 1].position),
    );
    expect(relay.position()).toBe(stored[19].position);
  });

  it('publishes the sales-side events (issue 14) like every other lead event, keyed by lead', async () => {
    const sql = leadHistory('sql', leadIdFor(1));
    const handoffEventId = sql.find((fact) => fact.type === 'LeadHandedOff')!.metadata.eventId;
    const activity = salesActivityLogged({
      leadId: leadIdFor(1),
      handoffEventId,
      occurredAt: at(100),
    });
    const rejectedHandoff = leadHandedOff({ leadId: leadIdFor(2), occurredAt: at(20) });
    const rejection = { leadId: leadIdFor(2), handoffEventId: rejectedHandoff.metadata.eventId };
    const disputed = [
      ...leadHistory('mql', leadIdFor(2)),
      rejectedHandoff,
      leadRejected({ ...rejection, occurredAt: at(30) }),
      leadRejectionDisputed({ ...rejection, occurredAt: at(40) }),
      leadRejectionDisputeResolved({ ...rejection, occurredAt: at(50) }),
    ];
    await appendInterleaved(store, [[...sql, activity], disputed]);
    const publisher = new ScriptedPublisher();
    const relay = relayWith({ publisher, checkpoints: new MemoryCheckpoints() });

    await relay.start();
    await relay.caughtUp();

    const records = publisher.acknowledged.map((event) => toKafkaRecord(event));
    const sent = (type: string) => records.filter((record) => record.headers.ce_type === type);
    expect(sent('LeadQualifiedBySales').map((record) => record.key)).toEqual([leadIdFor(1)]);
    expect(sent('SalesActivityLogged').map((record) => record.key)).toEqual([leadIdFor(1)]);
    expect(sent('LeadRejectionDisputed').map((record) => record.key)).toEqual([leadIdFor(2)]);
    expect(sent('LeadRejectionDisputeResolved').map((record) => record.key)).toEqual([
      leadIdFor(2),
    ]);
    expect(ids(publisher.acknowledged)).toStrictEqual(ids(await leadEvents()));
  });

  it('publishes live events appended after it caught up', async () => {
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    const publisher = new ScriptedPublisher();
    const checkpoints = new MemoryCheckpoints();
    const relay = relayWith({ publisher, checkpoints });
    await relay.start();
    await relay.caughtUp();

    await appendInterleaved(store, [leadHistory('converted', leadIdFor(2))]);
    const head = await store.headPosition();
    await checkpoints.changed.until(
      () => checkpoints.commits.at(-1) === head,
      () => `checkpoint at ${String(checkpoints.commits.at(-1))}, head ${head}`,
    );

    expect(ids(publisher.acknowledged)).toStrictEqual(ids(await leadEvents()));
  });

  it('retries the same batch with capped exponential backoff while the broker is down, without advancing', async () => {
    await appendInterleaved(
      store,
      [1, 2].map((n) => leadHistory('converted', leadIdFor(n))),
    );
    const publisher = new ScriptedPublisher([
      brokerDown(),
      brokerDown(),
      brokerDown(),
      brokerDown(),
      brokerDown(),
    ]);
    const checkpoints = new MemoryCheckpoints();
    const sleeps: { ms: number; checkpoint: bigint | null }[] = [];
    const sleep: Sleep = async (ms) => {
      sleeps.push({ ms, checkpoint: await checkpoints.checkpoint('relay') });
    };
    const relay = relayWith({
      publisher,
      checkpoints,
      sleep,
      maxBatchSize: 5,
      backoff: { initialMs: 200, maxMs: 1_000, factor: 2 },
    });

    await relay.start();
    await relay.caughtUp();

    const stored = await leadEvents();
    expect(sleeps).toStrictEqual(
      [200, 400, 800, 1_000, 1_000].map((ms) => ({ ms, checkpoint: null })),
    );
    // six attempts of the very same first batch, then the second batch
    expect(publisher.attempts.map(ids)).toStrictEqual([
      ...Array.from({ length: 6 }, () => ids(stored.slice(0, 5))),
      ids(stored.slice(5, 10)),
    ]);
    expect(ids(publisher.acknowledged)).toStrictEqual(ids(stored));
    expect(checkpoints.commits).toStrictEqual([stored[4].position, stored[9].position]);
    expect(logs.filter(([level]) => level === 'warn')).toHaveLength(5);
    expect(logs).toContainEqual(['log', expect.stringMatching(/succeeded after 6 attempts/)]);
  });

  it('advances the checkpoint only after the broker acknowledged the batch', async () => {
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    let acknowledge!: () => void;
    const published: RecordedEvent[][] = [];
    class PendingPublisher extends EventPublisher {
      override publish(events: RecordedEvent[]): Promise<void> {
        published.push(events);
        checkpoints.changed.check();
        return new Promise<void>((resolve) => (acknowledge = resolve));
      }
      override async close(): Promise<void> {}
    }
    const checkpoints = new MemoryCheckpoints();
    const relay = relayWith({ publisher: new PendingPublisher(), checkpoints });
    await relay.start();

    await checkpoints.changed.until(
      () => published.length === 1,
      () => 'no publish attempt',
    );
    expect(await checkpoints.checkpoint('relay')).toBeNull();
    expect(relay.position()).toBe(0n);

    acknowledge();
    await relay.caughtUp();
    expect(await checkpoints.checkpoint('relay')).toBe(positions(published[0]).at(-1));
  });

  it('retries a failed checkpoint without publishing the batch again', async () => {
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    const publisher = new ScriptedPublisher();
    const checkpoints = new MemoryCheckpoints(2);
    const relay = relayWith({ publisher, checkpoints, sleep: () => Promise.resolve() });

    await relay.start();
    await relay.caughtUp();

    expect(publisher.attempts).toHaveLength(1);
    expect(checkpoints.commits).toStrictEqual([await store.headPosition()]);
  });

  it('resumes from its checkpoint after a restart, publishing only what came after', async () => {
    await appendInterleaved(
      store,
      [1, 2].map((n) => leadHistory('converted', leadIdFor(n))),
    );
    const checkpoints = new MemoryCheckpoints();
    const first = relayWith({ publisher: new ScriptedPublisher(), checkpoints });
    await first.start();
    await first.caughtUp();
    await first.stop();
    const before = (await leadEvents()).length;

    await appendInterleaved(
      store,
      [3, 4].map((n) => leadHistory('lost', leadIdFor(n))),
    );
    const publisher = new ScriptedPublisher();
    const second = relayWith({ publisher, checkpoints });
    await second.start();
    await second.caughtUp();

    const stored = await leadEvents();
    expect(ids(publisher.acknowledged)).toStrictEqual(ids(stored.slice(before)));
    expect(second.position()).toBe(stored[stored.length - 1].position);
  });

  it('stops during a backoff without waiting it out and keeps its checkpoint', async () => {
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    const publisher = new ScriptedPublisher(Array.from({ length: 100 }, brokerDown));
    const checkpoints = new MemoryCheckpoints();
    // an hour-long backoff: stop() only returns within the test timeout if it interrupts it
    const relay = relayWith({
      publisher,
      checkpoints,
      backoff: { initialMs: 3_600_000, maxMs: 3_600_000, factor: 2 },
    });
    await relay.start();
    await publisher.changed.until(
      () => publisher.attempts.length === 1,
      () => 'no publish attempt',
    );

    await relay.stop();

    expect(publisher.attempts).toHaveLength(1);
    expect(checkpoints.commits).toStrictEqual([]);
    expect(relay.position()).toBe(0n);
  });

  it('can be started again after a stop', async () => {
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    const publisher = new ScriptedPublisher();
    const relay = relayWith({ publisher, checkpoints: new MemoryCheckpoints() });
    await relay.start();
    await relay.caughtUp();
    await relay.stop();

    await appendInterleaved(store, [leadHistory('captured', leadIdFor(2))]);
    await relay.start();
    await relay.caughtUp();

    expect(ids(publisher.acknowledged)).toStrictEqual(ids(await leadEvents()));
  });

  it('publishes the agreement stream among the lead streams, in log order, keyed by agreement', async () => {
    await appendAgreement(store, ...agreementApproved());
    await appendInterleaved(store, [leadHistory('mql', leadIdFor(1))]);
    await appendAgreement(store, agreementProposed({ version: 2 }));
    await appendInterleaved(store, [leadHistory('converted', leadIdFor(2))]);
    await appendAgreement(store, agreementWithdrawn({ version: 2 }));
    await store.append(
      'watcher-state',
      [
        {
          type: 'Tick',
          data: {},
          metadata: {
            eventId: 'tick-1',
            occurredAt: clock().toISOString(),
            actor: testActor,
            correlationId: 'c',
            causationId: null,
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );
    const publisher = new ScriptedPublisher();
    const checkpoints = new MemoryCheckpoints();
    const relay = relayWith({ publisher, checkpoints, maxBatchSize: 4 });

    await relay.start();
    await relay.caughtUp();

    const published = (await store.readAll()).filter((event) => event.streamId !== 'watcher-state');
    expect(ids(publisher.acknowledged)).toStrictEqual(ids(published));
    const agreementRecords = publisher.acknowledged
      .filter((event) => event.streamId === agreementStream)
      .map((event) => toKafkaRecord(event));
    expect(
      agreementRecords.map(({ key, headers }) => [key, headers.ce_subject, headers.ce_type]),
    ).toStrictEqual([
      ['agreement', 'agreement', 'AgreementProposed'],
      ['agreement', 'agreement', 'AgreementSigned'],
      ['agreement', 'agreement', 'AgreementSigned'],
      ['agreement', 'agreement', 'AgreementProposed'],
      ['agreement', 'agreement', 'AgreementWithdrawn'],
    ]);
    expect(relay.position()).toBe(published.at(-1)!.position);
  });

  it('refuses a batch size below one', () => {
    expect(() =>
      relayWith({
        publisher: new ScriptedPublisher(),
        checkpoints: new MemoryCheckpoints(),
        maxBatchSize: 0,
      }),
    ).toThrow(/maxBatchSize/);
  });
});
