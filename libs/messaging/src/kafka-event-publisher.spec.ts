import { leadCaptured, recorded } from '@lead/testing';
import { logLevel, Partitioners } from 'kafkajs';
import {
  buildProducerSettings,
  defaultPublishRetry,
  KafkaEventPublisher,
  type KafkaEventPublisherOptions,
} from './kafka-event-publisher';
import type { LogLevel } from './messaging-log';

const options: KafkaEventPublisherOptions = {
  brokers: ['kafka-1:9092', 'kafka-2:9092'],
  topic: 'lead-events',
};
const quiet = (): void => undefined;

describe('buildProducerSettings', () => {
  it('builds an idempotent producer with one request in flight and acks from all replicas by default', () => {
    const settings = buildProducerSettings(options, quiet);

    expect(settings.producer).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
    expect(settings.acks).toBe(-1);
    expect(settings.kafka).toMatchObject({
      clientId: 'lead-relay',
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      logLevel: logLevel.ERROR,
    });
  });

  it('partitions like the Java client and retries a bounded number of times', () => {
    const settings = buildProducerSettings(options, quiet);

    expect(settings.producer.createPartitioner).toBe(Partitioners.DefaultPartitioner);
    expect(settings.producer.retry).toStrictEqual(defaultPublishRetry);
    expect(settings.kafka.retry).toStrictEqual(defaultPublishRetry);
    expect(defaultPublishRetry.retries).toBeGreaterThan(0);
  });

  it('turns idempotence off only when asked, keeping acks -1 and one request in flight', () => {
    const settings = buildProducerSettings(
      { ...options, idempotent: false, clientId: 'relay-eu' },
      quiet,
    );

    expect(settings.producer).toMatchObject({ idempotent: false, maxInFlightRequests: 1 });
    expect(settings.acks).toBe(-1);
    expect(settings.kafka.clientId).toBe('relay-eu');
  });

  it('passes timeouts, retries and the log level through', () => {
    const retry = { retries: 1, initialRetryTime: 10 };
    const settings = buildProducerSettings(
      {
        ...options,
        retry,
        connectionTimeoutMs: 500,
        requestTimeoutMs: 2_000,
        logLevel: logLevel.WARN,
      },
      quiet,
    );

    expect(settings.producer.retry).toBe(retry);
    expect(settings.kafka.retry).toBe(retry);
    expect(settings.kafka).toMatchObject({
      connectionTimeout: 500,
      requestTimeout: 2_000,
      logLevel: logLevel.WARN,
    });
  });

  it('routes kafkajs log entries to the injected log', () => {
    const entries: [LogLevel, string][] = [];
    const settings = buildProducerSettings(options, (level, message) =>
      entries.push([level, message]),
    );
    const logger = settings.kafka.logCreator?.(logLevel.ERROR);

    logger?.({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'connection refused', timestamp: '2026-01-05T09:00:00.000Z' },
    });

    expect(entries).toStrictEqual([['error', 'kafkajs Connection: connection refused']]);
  });
});

describe('KafkaEventPublisher', () => {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  const unreachable = (log: KafkaEventPublisherOptions['log']) =>
    new KafkaEventPublisher({
      brokers: ['127.0.0.1:1'],
      topic: 'lead-events',
      idempotent: false,
      retry: { retries: 0 },
      connectionTimeoutMs: 1_000,
      log,
    });

  it('publishes nothing, and needs no broker, for an empty batch', async () => {
    const publisher = unreachable(quiet);

    await expect(publisher.publish([])).resolves.toBeUndefined();
    await publisher.close();
  });

  it('rejects when the broker cannot be reached, so the relay does not advance', async () => {
    const levels: LogLevel[] = [];
    const publisher = unreachable((level) => levels.push(level));

    await expect(
      publisher.publish([recorded(leadCaptured(), { position: 1, revision: 0 })]),
    ).rejects.toThrow();
    // a second attempt connects again rather than reusing a failed connection
    await expect(
      publisher.publish([recorded(leadCaptured(), { position: 2, revision: 0 })]),
    ).rejects.toThrow();
    expect(levels).toContain('error');
    await publisher.close();
  });
});
