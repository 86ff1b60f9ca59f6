import { agreementStream, type LeadFact, type LeadStage } from '@lead/domain';
import { SqliteEventStore, type RecordedEvent } from '@lead/event-store';
import { EmbeddedReadStore } from '@lead/read-models';
import {
  agreementApproved,
  agreementProposed,
  agreementWithdrawn,
  leadHistory,
} from '@lead/testing';
import { Kafka, logLevel, type Admin, type Consumer, type IHeaders } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { isManagedKafka, killKafka, restartKafka } from '../../../test-infra/infra';
import { appendAgreement, appendInterleaved, Condition, leadIdFor } from '../test/relay-fixtures';
import { EventPublisher } from './event-publisher.port';
import { EventRelay } from './event-relay';
import { KafkaEventPublisher } from './kafka-event-publisher';

// Runs against the real broker in KAFKA_BROKERS: `npm test` starts one (npm run infra: Apache
// Kafka from Maven Central, single-node KRaft on loopback); docker compose's works too. The
// broker kill -9 case needs the broker of `npm run infra`, which it can kill and restart.
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const describeIfKafka = brokers.length > 0 ? describe : describe.skip;
const itIfOwnBroker = isManagedKafka(brokers.join(',')) ? it : it.skip;

// unique per run, so a shared real broker holds no earlier run's messages
const topic = `lead-events-test-${randomUUID()}`;
const partitions = 3;
const batchSize = 10;
const quiet = (): void => undefined;
const clock = () => new Date('2026-01-05T12:00:00.000Z');

type Received = { partition: number; key: string; value: string; headers: Record<string, string> };

const headerStrings = (headers: IHeaders = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined
        ? []
        : [[name, Array.isArray(value) ? value.join(',') : value.toString()]],
    ),
  );

// Each lead gets its own address and name, so a leak of any of them is visible in the values.
const withPersonalData = (history: LeadFact[], n: number): LeadFact[] =>
  history.map((fact) =>
    fact.type === 'LeadCaptured'
      ? {
          ...fact,
          data: { ...fact.data, email: `person-${n}@example.com`, name: `Person Number${n}` },
        }
      : fact,
  );

const stages: LeadStage[] = ['converted', 'nurturing', 'lost'];
// 30 leads of 3–5 events each; ids and times are fixed by the builders.
const histories = Array.from({ length: 30 }, (_, i) =>
  withPersonalData(leadHistory(stages[i % stages.length], leadIdFor(i + 1)), i + 1),
);

/** publishes through `inner`, and on call `crashOn` stops the relay after the broker acknowledged */
class CrashAfterAcknowledgement extends EventPublisher {
  /** resolves once the relay has stopped after the crash */
  readonly crashed: Promise<void>;
  private calls = 0;
  private crash!: (stopping: Promise<void>) => void;

  constructor(
    private readonly inner: EventPublisher,
    private readonly crashOn: number,
    private readonly stopRelay: () => Promise<void>,
  ) {
    super();
    this.crashed = new Promise<void>((resolve) => (this.crash = resolve));
  }

  override async publish(events: RecordedEvent[]): Promise<void> {
    this.calls += 1;
    await this.inner.publish(events);
    if (this.calls === this.crashOn) {
      this.crash(this.stopRelay());
      throw new Error('crashed after the broker acknowledged, before the checkpoint');
    }
  }

  override close(): Promise<void> {
    return this.inner.close();
  }
}

/** on call `killOn`, kills the broker (kill -9) while that batch is being sent */
class KillBrokerWhileSending extends EventPublisher {
  readonly killed: Promise<void>;
  private calls = 0;
  private kill!: (killing: Promise<void>) => void;

  constructor(
    private readonly inner: EventPublisher,
    private readonly killOn: number,
  ) {
    super();
    this.killed = new Promise<void>((resolve) => (this.kill = resolve));
  }

  override async publish(events: RecordedEvent[]): Promise<void> {
    this.calls += 1;
    const sending = this.inner.publish(events);
    if (this.calls === this.killOn) this.kill(killKafka());
    await sending;
  }

  override close(): Promise<void> {
    return this.inner.close();
  }
}

const kafka = new Kafka({
  clientId: 'relay-int-test-reader',
  brokers,
  logLevel: logLevel.NOTHING,
});

/** a consumer group of its own, from offset 0, collecting every message of `topicName` */
const collect = async (topicName: string, received: Received[], arrived: Condition) => {
  const consumer = kafka.consumer({
    groupId: `relay-int-test-${randomUUID()}`,
    maxWaitTimeInMs: 200,
    retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2_000 },
  });
  await consumer.connect();
  await consumer.subscribe({ topic: topicName, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      received.push({
        partition,
        key: message.key?.toString() ?? '',
        value: message.value?.toString() ?? '',
        headers: headerStrings(message.headers),
      });
      arrived.check();
      return Promise.resolve();
    },
  });
  return consumer;
};

describeIfKafka(
  brokers.length > 0
    ? `EventRelay to Kafka at ${brokers.join(',')}`
    : 'EventRelay to Kafka (skipped: KAFKA_BROKERS is not set; `npm run infra -- up` starts a broker)',
  () => {
    let admin: Admin;
    let store: SqliteEventStore;
    let checkpoints: EmbeddedReadStore;
    let consumer: Consumer;
    const received: Received[] = [];
    const arrived = new Condition();
    const publishers: EventPublisher[] = [];

    const kafkaPublisher = (topicName = topic): KafkaEventPublisher => {
      const publisher = new KafkaEventPublisher({
        brokers,
        topic: topicName,
        clientId: 'relay-int-test',
        idempotent: true,
        log: quiet,
      });
      publishers.push(publisher);
      return publisher;
    };
    const relay = (
      publisher: EventPublisher,
      on: { eventStore: SqliteEventStore; checkpoints: EmbeddedReadStore } = {
        eventStore: store,
        checkpoints,
      },
    ): EventRelay =>
      new EventRelay({
        ...on,
        publisher,
        maxBatchSize: batchSize,
        backoff: { initialMs: 50, maxMs: 1_000, factor: 2 },
        log: quiet,
      });
    const leadEvents = (from = store) => from.readAll({ streamPrefix: 'lead-' });
    const untilReceived = (events: RecordedEvent[], messages = received, condition = arrived) => {
      const receivedIds = () => new Set(messages.map((message) => message.headers.ce_id));
      return condition.until(
        () => {
          const seen = receivedIds();
          return events.every((event) => seen.has(event.metadata.eventId));
        },
        () => `received ${receivedIds().size} distinct of ${events.length} events`,
        90_000,
      );
    };
    const createTopic = async (topicName: string) => {
      expect(
        await admin.createTopics({
          topics: [{ topic: topicName, numPartitions: partitions }],
          waitForLeaders: true,
        }),
      ).toBe(true);
    };

    beforeAll(async () => {
      store = new SqliteEventStore({ path: ':memory:', clock });
      checkpoints = new EmbeddedReadStore({ path: ':memory:' });
      admin = kafka.admin();
      await admin.connect();
      await createTopic(topic);
      consumer = await collect(topic, received, arrived);
    }, 60_000);

    afterAll(async () => {
      await consumer?.disconnect();
      await admin?.disconnect();
      await Promise.all(publishers.map((publisher) => publisher.close()));
      await store?.close();
      await checkpoints?.close();
    }, 30_000);

    it('publishes every lead event exactly once, keyed by leadId, in per-lead order, as CloudEvents without personal data', async () => {
      // 20 leads, their first three events each, interleaved in the log
      await appendInterleaved(
        store,
        histories.slice(0, 20).map((history) => history.slice(0, 3)),
      );
      const stored = await leadEvents();
      expect(stored).toHaveLength(60);
      const relayA = relay(kafkaPublisher());

      await relayA.start();
      await relayA.caughtUp();
      await untilReceived(stored);
      await relayA.stop();

      expect(received).toHaveLength(stored.length);
      expect(relayA.position()).toBe(stored[stored.length - 1].position);
      const [{ partitions: created }] = (await admin.fetchTopicMetadata({ topics: [topic] }))
        .topics;
      expect(created).toHaveLength(partitions);
      expect(await checkpoints.checkpoint('relay')).toBe(stored[stored.length - 1].position);
      expectFaithful(received, stored);
      expectPerLeadOrder(received, stored);
      // keyed partitioning really spreads the leads, so per-lead order is not a one-partition accident
      expect(new Set(received.map((message) => message.partition)).size).toBeGreaterThan(1);
    });

    it('resumes from its checkpoint after a stop between acknowledgement and checkpoint: nothing missing, duplicates keep their ce_id', async () => {
      const before = (await leadEvents()).length;
      // the rest of those 20 leads plus 5 new ones
      await appendInterleaved(store, [
        ...histories.slice(0, 20).map((history) => history.slice(3)),
        ...histories.slice(20, 25),
      ]);
      const pending = (await leadEvents()).slice(before);
      expect(pending.length).toBeGreaterThan(2 * batchSize);

      // relay B: batch 1 acknowledged and checkpointed; batch 2 acknowledged, then it stops
      const crashing = new CrashAfterAcknowledgement(kafkaPublisher(), 2, () => relayB.stop());
      const relayB = relay(crashing);
      await relayB.start();
      await crashing.crashed;
      const republished = pending.slice(batchSize, 2 * batchSize);
      expect(relayB.position()).toBe(pending[batchSize - 1].position);
      expect(await checkpoints.checkpoint('relay')).toBe(pending[batchSize - 1].position);

      // more events while no relay runs, then a new relay instance on the same checkpoint store
      await appendInterleaved(store, histories.slice(25));
      const stored = await leadEvents();
      const relayC = relay(kafkaPublisher());
      await relayC.start();
      await relayC.caughtUp();
      await untilReceived(stored);
      await relayC.stop();

      expect(relayC.position()).toBe(stored[stored.length - 1].position);
      // at-least-once: exactly the acknowledged-but-not-checkpointed batch came twice
      const counts = new Map<string, number>();
      for (const message of received)
        counts.set(message.headers.ce_id, (counts.get(message.headers.ce_id) ?? 0) + 1);
      const duplicated = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
      expect(duplicated.sort()).toStrictEqual(
        republished.map((event) => event.metadata.eventId).sort(),
      );
      expect([...counts.values()].every((count) => count <= 2)).toBe(true);
      expect(received).toHaveLength(stored.length + republished.length);
      // a duplicate is the same record again, so de-duplicating on ce_id is safe
      for (const id of duplicated) {
        const copies = received.filter((message) => message.headers.ce_id === id);
        expect(copies[1]).toStrictEqual(copies[0]);
      }
      expectFaithful(received, stored);
      expectPerLeadOrder(received, stored);
    });

    it('publishes the agreement stream on the same topic, keyed by agreement, in its order', async () => {
      const agreementTopic = `lead-events-agreement-test-${randomUUID()}`;
      await createTopic(agreementTopic);
      const own = {
        eventStore: new SqliteEventStore({ path: ':memory:', clock }),
        checkpoints: new EmbeddedReadStore({ path: ':memory:' }),
      };
      const messages: Received[] = [];
      const delivered = new Condition();
      const reader = await collect(agreementTopic, messages, delivered);
      const relayE = relay(kafkaPublisher(agreementTopic), own);
      try {
        await appendAgreement(own.eventStore, ...agreementApproved());
        await appendInterleaved(own.eventStore, histories.slice(0, 3));
        await appendAgreement(own.eventStore, agreementProposed({ version: 2 }));
        await appendInterleaved(own.eventStore, histories.slice(3, 6));
        await appendAgreement(own.eventStore, agreementWithdrawn({ version: 2 }));
        const stored = await own.eventStore.readAll();
        await relayE.start();
        await relayE.caughtUp();
        await untilReceived(stored, messages, delivered);
        await relayE.stop();

        expect(messages).toHaveLength(stored.length);
        const agreement = messages.filter((message) => message.key === agreementStream);
        const agreementEvents = stored.filter((event) => event.streamId === agreementStream);
        expect(
          agreement.map(({ headers }) => [
            headers.ce_subject,
            headers.ce_type,
            headers.ce_revision,
          ]),
        ).toStrictEqual(
          agreementEvents.map((event) => ['agreement', event.type, String(event.revision)]),
        );
        expect(agreement.map((message) => JSON.parse(message.value) as unknown)).toStrictEqual(
          agreementEvents.map((event) => event.data),
        );
        expect(new Set(agreement.map((message) => message.partition)).size).toBe(1);
        const leads = stored.filter((event) => event.streamId !== agreementStream);
        const leadMessages = messages.filter((message) => message.key !== agreementStream);
        expectFaithful(leadMessages, leads);
        expectPerLeadOrder(leadMessages, leads);
      } finally {
        await relayE.stop();
        await reader.disconnect();
        await own.eventStore.close();
        await own.checkpoints.close();
      }
    }, 120_000);

    itIfOwnBroker(
      'loses nothing when the broker is killed (kill -9) mid-stream and restarted: duplicates only, with the same ce_id',
      async () => {
        // the earlier tests' reader is done; left running it would restart after the kill on its own
        await consumer.disconnect();
        const crashTopic = `lead-events-crash-test-${randomUUID()}`;
        await createTopic(crashTopic);
        const own = {
          eventStore: new SqliteEventStore({ path: ':memory:', clock }),
          checkpoints: new EmbeddedReadStore({ path: ':memory:' }),
        };
        const messages: Received[] = [];
        const delivered = new Condition();
        const reader = await collect(crashTopic, messages, delivered);
        let relayD: EventRelay | null = null;
        try {
          await appendInterleaved(own.eventStore, histories);
          const stored = await leadEvents(own.eventStore);
          expect(stored.length).toBeGreaterThan(8 * batchSize);
          const killing = new KillBrokerWhileSending(kafkaPublisher(crashTopic), 4);
          relayD = relay(killing, own);

          await relayD.start();
          await killing.killed;
          // stopped between batches 3 and 4 of at least 8: mid-stream
          expect(relayD.position()).toBeLessThan(stored[stored.length - 1].position);
          await restartKafka();
          await relayD.caughtUp();
          await untilReceived(stored, messages, delivered);
          await relayD.stop();

          expect(relayD.position()).toBe(stored[stored.length - 1].position);
          // every copy of an event is the same record: de-duplicating on ce_id is safe
          for (const message of messages) {
            const first = messages.find((other) => other.headers.ce_id === message.headers.ce_id);
            expect(message).toStrictEqual(first);
          }
          expect(new Set(messages.map((message) => message.headers.ce_id)).size).toBe(
            stored.length,
          );
          expectFaithful(messages, stored);
          expectPerLeadOrder(messages, stored);
        } finally {
          // a failed run must not leave the relay retrying, or jest never exits
          await relayD?.stop();
          await reader.disconnect();
          await own.eventStore.close();
          await own.checkpoints.close();
        }
      },
      180_000,
    );
  },
);

// Every message is its stored event: key, CloudEvents headers, data minus email and name.
const expectFaithful = (received: Received[], stored: RecordedEvent[]): void => {
  const byId = new Map(stored.map((event) => [event.metadata.eventId, event]));
  for (const message of received) {
    const event = byId.get(message.headers.ce_id);
    if (event === undefined) throw new Error(`unexpected message ${JSON.stringify(message)}`);
    const leadId = event.data.leadId as string;
    const { causationId } = event.metadata;
    expect(message.key).toBe(leadId);
    expect(message.headers).toStrictEqual({
      ce_specversion: '1.0',
      ce_id: event.metadata.eventId,
      ce_type: event.type,
      ce_source: '/lead-lifecycle',
      ce_subject: leadId,
      ce_time: event.metadata.occurredAt,
      'content-type': 'application/json',
      ce_position: event.position.toString(),
      ce_revision: String(event.revision),
      ce_correlationid: `corr-${leadId}`,
      ...(causationId === null ? {} : { ce_causationid: causationId }),
    });
    const { email, name, ...published } = event.data;
    expect(JSON.parse(message.value)).toStrictEqual(published);
    if (event.type === 'LeadCaptured') {
      expect([email, name]).toStrictEqual([
        expect.stringMatching(/@example\.com$/),
        expect.stringMatching(/^Person/),
      ]);
    }
    expect(message.value).not.toMatch(/@example\.com|Person Number|"email"|"name"/);
  }
};

// Per lead, the first arrival of each event follows the stream: revisions 0, 1, 2, … and one partition.
const expectPerLeadOrder = (received: Received[], stored: RecordedEvent[]): void => {
  const seen = new Set<string>();
  const revisions = new Map<string, number[]>();
  const partitions = new Map<string, Set<number>>();
  for (const message of received) {
    partitions.set(message.key, (partitions.get(message.key) ?? new Set()).add(message.partition));
    if (seen.has(message.headers.ce_id)) continue;
    seen.add(message.headers.ce_id);
    revisions.set(message.key, [
      ...(revisions.get(message.key) ?? []),
      Number(message.headers.ce_revision),
    ]);
  }
  const expected = new Map<string, number[]>();
  for (const event of stored) {
    const leadId = event.data.leadId as string;
    expected.set(leadId, [...(expected.get(leadId) ?? []), event.revision]);
  }
  expect(Object.fromEntries(revisions)).toStrictEqual(Object.fromEntries(expected));
  for (const lead of expected.keys()) expect(partitions.get(lead)?.size).toBe(1);
};
