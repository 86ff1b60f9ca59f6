import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type KafkaMockCluster = { brokers: string[]; stop(): Promise<void> };

export type KafkaMockClusterOptions = {
  /** Debian's interpreter: python3-confluent-kafka is installed for it, not for other pythons */
  python?: string;
  topics?: string[];
  startTimeoutMs?: number;
};

const script = join(__dirname, 'kafka-mock-cluster.py');

// Starts librdkafka's mock cluster in a child python process and resolves with its bootstrap
// brokers once the script has printed them.
export const startKafkaMockCluster = (
  options: KafkaMockClusterOptions = {},
): Promise<KafkaMockCluster> => {
  const python = options.python ?? process.env.KAFKA_MOCK_PYTHON ?? '/usr/bin/python3';
  const args = [script, ...(options.topics ?? []).flatMap((topic) => ['--topic', topic])];
  const child = spawn(python, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Closing stdin is the script's normal shutdown; SIGTERM is the fallback.
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 3_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<KafkaMockCluster>((resolve, reject) => {
    const fail = (reason: string): void => {
      void stop();
      reject(new Error(`kafka mock cluster (${python}): ${reason}${stderr ? `\n${stderr}` : ''}`));
    };
    const timer = setTimeout(
      () => fail('no bootstrap address in time'),
      options.startTimeoutMs ?? 20_000,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      fail(`exited early (code ${String(code)}, signal ${String(signal)})`);
    };
    child.once('exit', onEarlyExit);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve({ brokers: line.trim().split(','), stop });
    });
  });
};

export type TestKafka = {
  brokers: string[];
  idempotent: boolean;
  real: boolean;
  stop(): Promise<void>;
};

// A real broker when KAFKA_BROKERS is set (npm run test:integration against docker compose),
// librdkafka's mock cluster otherwise; the mock has no idempotent producer.
export const kafkaForTests = async (topics: string[]): Promise<TestKafka> => {
  const configured = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (configured.length > 0) {
    return { brokers: configured, idempotent: true, real: true, stop: () => Promise.resolve() };
  }
  const cluster = await startKafkaMockCluster({ topics });
  return { ...cluster, idempotent: false, real: false };
};
