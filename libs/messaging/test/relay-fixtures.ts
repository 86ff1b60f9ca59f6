import { type AgreementFact, agreementStream, leadStream, type LeadFact } from '@lead/domain';
import type { EventStore, NewEvent, RecordedEvent } from '@lead/event-store';
import type { ReadStore } from '@lead/read-models';
import { testActor } from '@lead/testing';
import { EventPublisher } from '../src/event-publisher.port';

// A lead's capture has no cause; every later event names the one before it as its cause, so
// both shapes of `ce_causationid` (absent, present) appear on the wire.
export const newEvent = (fact: LeadFact, causationId: string | null): NewEvent => ({
  type: fact.type,
  data: { ...fact.data },
  metadata: {
    eventId: fact.metadata.eventId,
    occurredAt: fact.metadata.occurredAt,
    actor: testActor,
    correlationId: `corr-${fact.data.leadId}`,
    causationId,
    schemaVersion: 1,
  },
});

/**
 * Appends the histories one event per lead at a time, round robin, so the leads' events
 * interleave in `$all`. A history may continue a stream that already has events.
 */
export const appendInterleaved = async (
  store: EventStore,
  histories: LeadFact[][],
): Promise<void> => {
  const longest = Math.max(0, ...histories.map((history) => history.length));
  for (let step = 0; step < longest; step += 1) {
    for (const history of histories) {
      const fact = history[step];
      if (fact === undefined) continue;
      const stream = leadStream(fact.data.leadId);
      const existing = await store.readStream(stream);
      const previous = existing[existing.length - 1];
      await store.append(
        stream,
        [newEvent(fact, previous ? previous.metadata.eventId : null)],
        previous ? previous.revision : 'no_stream',
      );
    }
  }
};

/** Appends agreement facts to the agreement stream, as a manager's commands would. */
export const appendAgreement = async (store: EventStore, ...facts: AgreementFact[]) => {
  const existing = await store.readStream(agreementStream);
  await store.append(
    agreementStream,
    facts.map(({ type, data, metadata }) => ({
      type,
      data: { ...data },
      metadata: {
        eventId: metadata.eventId,
        occurredAt: metadata.occurredAt,
        actor: { id: 'marketing-manager-1', role: 'marketing_manager' },
        correlationId: `corr-${metadata.eventId}`,
        causationId: null,
        schemaVersion: 1,
      },
    })),
    existing.length === 0 ? 'no_stream' : existing.length - 1,
  );
};

export const leadIdFor = (n: number): string =>
  `01943a4e-3c00-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** resolves once `condition()` holds; re-checked by `check()` after every change, with a deadline */
export class Condition {
  private waiters: { condition: () => boolean; resolve: () => void }[] = [];

  check(): void {
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.condition()) return true;
      waiter.resolve();
      return false;
    });
  }

  until(condition: () => boolean, describe: () => string, deadlineMs = 15_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.condition !== condition);
        reject(new Error(`not reached within ${deadlineMs} ms: ${describe()}`));
      }, deadlineMs);
      this.waiters.push({
        condition,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** the relay's checkpoint, kept in memory (unit tests) */
export class MemoryCheckpoints implements Pick<ReadStore, 'checkpoint' | 'commit'> {
  readonly commits: bigint[] = [];
  readonly changed = new Condition();
  private readonly values = new Map<string, bigint>();

  /** the next `failures` commits throw (a read store outage) */
  constructor(private failures = 0) {}

  checkpoint(name: string): Promise<bigint | null> {
    return Promise.resolve(this.values.get(name) ?? null);
  }

  commit(name: string, checkpoint: bigint): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('read store unavailable'));
    }
    this.values.set(name, checkpoint);
    this.commits.push(checkpoint);
    this.changed.check();
    return Promise.resolve();
  }
}

type Outcome = 'ack' | Error;

/**
 * A scripted in-memory broker: each publish call takes the next scripted outcome (then acks
 * forever) and records every attempt, acknowledged or not.
 */
export class ScriptedPublisher extends EventPublisher {
  readonly attempts: RecordedEvent[][] = [];
  readonly acknowledged: RecordedEvent[] = [];
  readonly changed = new Condition();
  closed = false;

  constructor(private readonly script: Outcome[] = []) {
    super();
  }

  override publish(events: RecordedEvent[]): Promise<void> {
    this.attempts.push(events);
    const outcome = this.script.shift() ?? 'ack';
    if (outcome === 'ack') this.acknowledged.push(...events);
    this.changed.check();
    return outcome === 'ack' ? Promise.resolve() : Promise.reject(outcome);
  }

  override close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
