import type { RecordedEvent } from '@lead/event-store';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type KafkaConfig,
  type logCreator,
  type Producer,
  type ProducerConfig,
  type RetryOptions,
} from 'kafkajs';
import { toKafkaRecord } from './cloud-events';
import { EventPublisher } from './event-publisher.port';
import { errorMessage, nestLog, type MessagingLog } from './messaging-log';

export type KafkaEventPublisherOptions = {
  brokers: string[];
  topic: string;
  /** default 'lead-relay' */
  clientId?: string;
  /** default true; false only for brokers without idempotent producers (librdkafka's mock cluster) */
  idempotent?: boolean;
  /** CloudEvents `ce_source`; default '/lead-lifecycle' */
  source?: string;
  /** kafkajs' own retries inside one publish; the relay backs off and retries the whole batch after */
  retry?: RetryOptions;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** kafkajs log threshold; default ERROR */
  logLevel?: KafkaLogLevel;
  log?: MessagingLog;
};

export type KafkaProducerSettings = { kafka: KafkaConfig; producer: ProducerConfig; acks: -1 };

// Bounded so a publish to a dead broker fails in seconds and the relay's backoff takes over;
// kafkajs' idempotent default (retry forever) would make stop() wait for the broker.
export const defaultPublishRetry: RetryOptions = {
  retries: 5,
  initialRetryTime: 300,
  maxRetryTime: 5_000,
};

const kafkaLogLevels: Partial<Record<KafkaLogLevel, 'error' | 'warn' | 'log' | 'debug'>> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'log',
  [KafkaLogLevel.DEBUG]: 'debug',
};

const toLogCreator =
  (log: MessagingLog): logCreator =>
  () =>
  ({ namespace, level, log: entry }) => {
    const target = kafkaLogLevels[level];
    if (target) log(target, `kafkajs ${namespace}: ${entry.message}`);
  };

export const buildProducerSettings = (
  options: KafkaEventPublisherOptions,
  log: MessagingLog = nestLog('KafkaEventPublisher'),
): KafkaProducerSettings => {
  const idempotent = options.idempotent ?? true;
  const retry = options.retry ?? defaultPublishRetry;
  return {
    kafka: {
      clientId: options.clientId ?? 'lead-relay',
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      logLevel: options.logLevel ?? KafkaLogLevel.ERROR,
      logCreator: toLogCreator(log),
      // connecting uses the client's retry, sending the producer's: both bounded the same way
      retry,
    },
    producer: {
      idempotent,
      // One request in flight per broker, so a retried request can never overtake a later one
      // and reorder a lead's events (the idempotent producer also demands it in kafkajs).
      maxInFlightRequests: 1,
      // The Java client's murmur2 partitioning: every client maps a leadId to the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // The relay is the only writer of its topic; a missing topic is created by the broker if allowed.
      allowAutoTopicCreation: true,
      retry,
    },
    // All in-sync replicas must have the event before the relay may advance its checkpoint.
    acks: -1,
  };
};

export class KafkaEventPublisher extends EventPublisher {
  private readonly producer: Producer;
  private readonly settings: KafkaProducerSettings;
  private readonly log: MessagingLog;
  private connecting: Promise<void> | null = null;

  constructor(private readonly options: KafkaEventPublisherOptions) {
    super();
    this.log = options.log ?? nestLog('KafkaEventPublisher');
    this.settings = buildProducerSettings(options, this.log);
    this.producer = new Kafka(this.settings.kafka).producer(this.settings.producer);
  }

  override async publish(events: RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((event) => toKafkaRecord(event, { source: this.options.source }));
    try {
      await this.connect();
      await this.producer.send({ topic: this.options.topic, acks: this.settings.acks, messages });
    } catch (error) {
      // The next attempt starts from a fresh connection: after a broker restart kafkajs can
      // otherwise keep failing on stale sockets.
      await this.disconnect();
      throw error;
    }
  }

  override async close(): Promise<void> {
    await this.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async disconnect(): Promise<void> {
    if (this.connecting === null) return;
    this.connecting = null;
    await this.producer.disconnect().catch((error: unknown) => {
      this.log('warn', `disconnecting the Kafka producer failed: ${errorMessage(error)}`);
    });
  }
}
