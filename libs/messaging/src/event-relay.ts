import type { EventStore, RecordedEvent, Subscription } from '@lead/event-store';
import type { ReadStore } from '@lead/read-models';
import { isPublishedStream } from './cloud-events';
import type { EventPublisher } from './event-publisher.port';
import { errorMessage, nestLog, type MessagingLog } from './messaging-log';

/** delay before retry n (0-based) = min(maxMs, initialMs * factor^n) */
export type Backoff = { initialMs: number; maxMs: number; factor: number };
export const defaultRelayBackoff: Backoff = { initialMs: 200, maxMs: 10_000, factor: 2 };
export const backoffDelay = ({ initialMs, maxMs, factor }: Backoff, attempt: number): number =>
  Math.min(maxMs, initialMs * factor ** attempt);

/** waits `ms`, or less once `signal` aborts (stop() must not wait out a 10 s backoff) */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });

export type EventRelayOptions = {
  eventStore: EventStore;
  publisher: EventPublisher;
  /** where the relay's checkpoint lives (only `checkpoint` and `commit` are used) */
  checkpoints: Pick<ReadStore, 'checkpoint' | 'commit'>;
  /** default 'relay' */
  checkpointName?: string;
  /** which streams are published; default the lead streams and the agreement's */
  publishes?: (streamId: string) => boolean;
  /** events per publish (and per checkpoint); bounds the Kafka request size. Default 100 */
  maxBatchSize?: number;
  backoff?: Backoff;
  sleep?: Sleep;
  log?: MessagingLog;
};

type Running = {
  abort: AbortController;
  subscription: Subscription | null;
  recovering: Promise<void>;
};

/**
 * The outbox relay (DESIGN §2): a catch-up subscription from the relay's checkpoint that
 * publishes each batch and advances the checkpoint only after the publisher resolved, i.e. the
 * broker acknowledged it. A failed batch is retried, unchanged, with capped exponential backoff;
 * nothing later is published meanwhile, so per-lead order holds. Delivery is at-least-once: a
 * stop or crash between the acknowledgement and the checkpoint republishes that batch with the
 * same `ce_id`s.
 */
export class EventRelay {
  private readonly checkpointName: string;
  private readonly publishes: (streamId: string) => boolean;
  private readonly maxBatchSize: number;
  private readonly backoff: Backoff;
  private readonly sleep: Sleep;
  private readonly log: MessagingLog;
  private committed = 0n;
  private running: Running | null = null;
  private starting: Promise<void> | null = null;

  constructor(private readonly options: EventRelayOptions) {
    this.checkpointName = options.checkpointName ?? 'relay';
    this.publishes = options.publishes ?? isPublishedStream;
    this.maxBatchSize = options.maxBatchSize ?? 100;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new Error(`maxBatchSize must be a positive integer, got ${this.maxBatchSize}`);
    }
    this.backoff = options.backoff ?? defaultRelayBackoff;
    this.sleep = options.sleep ?? abortableSleep;
    this.log = options.log ?? nestLog('EventRelay');
  }

  /** resolves once the subscription is open; publishing continues in the background */
  start(): Promise<void> {
    this.starting ??= this.open().catch((error: unknown) => {
      this.starting = null;
      throw error;
    });
    return this.starting;
  }

  /** waits for the batch in flight (its checkpoint included) and closes the subscription */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const running = this.running;
    if (running === null) return;
    running.abort.abort();
    await running.recovering;
    await running.subscription?.close();
    this.running = null;
    this.starting = null;
    this.log('log', `stopped at position ${this.committed}`);
  }

  /** the last checkpointed position: everything up to it has been acknowledged; 0n before any */
  position(): bigint {
    return this.committed;
  }

  /** resolves once the backlog that existed at start has been published and checkpointed */
  async caughtUp(): Promise<void> {
    await this.starting;
    await this.running?.subscription?.caughtUp;
  }

  private async open(): Promise<void> {
    const checkpoint = await this.options.checkpoints.checkpoint(this.checkpointName);
    this.committed = checkpoint ?? 0n;
    const running: Running = {
      abort: new AbortController(),
      subscription: null,
      recovering: Promise.resolve(),
    };
    this.running = running;
    running.subscription = this.subscribe(running);
    this.log('log', `relaying events after position ${this.committed}`);
  }

  // One subscription to the whole log, filtered here: the published streams share no prefix,
  // and one subscription keeps them in log order.
  private subscribe(running: Running): Subscription {
    return this.options.eventStore.subscribe({
      after: this.committed === 0n ? undefined : this.committed,
      onEvents: (events) => this.relay(events, running.abort.signal),
      onError: (error) => {
        running.recovering = this.resubscribe(running, error);
      },
    });
  }

  // Only the store can end a subscription (relay() never throws): reopen it from the checkpoint.
  private async resubscribe(running: Running, error: unknown): Promise<void> {
    this.log('error', `the event store subscription failed: ${errorMessage(error)}`);
    await running.subscription?.close().catch(() => undefined);
    for (let attempt = 0; !running.abort.signal.aborted; attempt += 1) {
      await this.sleep(backoffDelay(this.backoff, attempt), running.abort.signal);
      if (running.abort.signal.aborted) return;
      try {
        running.subscription = this.subscribe(running);
        return;
      } catch (retryError) {
        this.log('error', `resubscribing failed: ${errorMessage(retryError)}`);
      }
    }
  }

  private async relay(events: RecordedEvent[], signal: AbortSignal): Promise<void> {
    // A resubscription may hand out again what is already checkpointed.
    const fresh = events.filter(
      (event) => event.position > this.committed && this.publishes(event.streamId),
    );
    for (let start = 0; start < fresh.length; start += this.maxBatchSize) {
      if (signal.aborted) return;
      const batch = fresh.slice(start, start + this.maxBatchSize);
      const last = batch[batch.length - 1].position;
      const published = await this.untilDone(
        `publishing ${batch.length} events up to position ${last}`,
        signal,
        () => this.options.publisher.publish(batch),
      );
      if (!published) return;
      // Attempted even when stopping: the batch is acknowledged, so checkpointing it saves a duplicate.
      const checkpointed = await this.untilDone(`checkpointing position ${last}`, signal, () =>
        this.options.checkpoints.commit(this.checkpointName, last, []),
      );
      if (!checkpointed) return;
      this.committed = last;
    }
  }

  /** true once `action` succeeded; false when stopped before it could */
  private async untilDone(
    what: string,
    signal: AbortSignal,
    action: () => Promise<void>,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await action();
        if (attempt > 0) this.log('log', `${what} succeeded after ${attempt + 1} attempts`);
        return true;
      } catch (error) {
        if (signal.aborted) {
          this.log(
            'warn',
            `${what} failed while stopping; it is retried after a restart: ${errorMessage(error)}`,
          );
          return false;
        }
        const delay = backoffDelay(this.backoff, attempt);
        this.log(
          'warn',
          `${what} failed (attempt ${attempt + 1}), retrying in ${delay} ms: ${errorMessage(error)}`,
        );
        await this.sleep(delay, signal);
        if (signal.aborted) return false;
      }
    }
  }
}
