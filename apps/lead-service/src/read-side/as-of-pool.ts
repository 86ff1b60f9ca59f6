import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ReplayLimit, ReplaySnapshots } from '@lead/read-models';
import type { AppConfig } from '@lead/runtime';
import { ApplicationError } from '../http/application-error';
import type { AnswerOf, ParamsOf, QuestionName } from './as-of-questions';
import { asOfSnapshotsDir } from './as-of-snapshots';

export type AsOfJob = { question: QuestionName; limit: ReplayLimit; params: unknown };
export type AsOfMessage = { kind: 'job'; job: AsOfJob } | { kind: 'forget' };
export type AsOfOutcome = { ok: true; answer: unknown } | { ok: false; error: string };

type Pending = {
  job: AsOfJob;
  signal?: AbortSignal;
  resolve: (answer: unknown) => void;
  reject: (error: unknown) => void;
};

// From source (npm start, jest) this module is a .ts file and the worker needs the swc hook; a
// build has compiled as-of-worker.js next to it.
const workerEntry = join(
  __dirname,
  __filename.endsWith('.ts') ? 'as-of-worker-entry.js' : 'as-of-worker.js',
);

const clientGone = () =>
  new ApplicationError('client_closed_request', 'the client went away; the question was dropped');

/**
 * Runs as-of replays and what-if questions in worker threads, so the main event loop keeps
 * serving commands and health checks while the log is replayed. At most `workers` jobs run and
 * `queue` wait; beyond that the caller gets a 503 `busy` at once, never a queue that grows. A
 * job whose client goes away is dropped, or its worker terminated when it already runs.
 */
export class AsOfPool {
  private readonly idle: Worker[] = [];
  private readonly running = new Set<Worker>();
  private readonly waiting: Pending[] = [];
  private closed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly size = config.asOfWorkers,
    private readonly queueLimit = config.asOfQueue,
  ) {}

  run<Q extends QuestionName>(
    question: Q,
    limit: ReplayLimit,
    params: ParamsOf<Q>,
    signal?: AbortSignal,
  ): Promise<AnswerOf<Q>> {
    return new Promise<unknown>((resolve, reject) => {
      if (this.closed) return reject(new Error('the as-of pool is closed'));
      if (signal?.aborted) return reject(clientGone());
      const pending: Pending = { job: { question, limit, params }, signal, resolve, reject };
      if (this.running.size < this.size) return this.start(pending);
      if (this.waiting.length >= this.queueLimit) {
        return reject(
          new ApplicationError(
            'busy',
            `all ${this.size} as-of workers are busy and ${this.queueLimit} questions wait; retry later`,
          ),
        );
      }
      this.waiting.push(pending);
      signal?.addEventListener('abort', () => this.dropWaiting(pending), { once: true });
    }) as Promise<AnswerOf<Q>>;
  }

  /** jobs running and waiting now (for tests and metrics) */
  load(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  /**
   * After an erasure appended at `erasedAt`: every worker drops its cached replays once its
   * current job is done, and the snapshots read before the erasure are deleted and never used.
   */
  async forgetReplays(erasedAt: bigint): Promise<void> {
    for (const worker of [...this.idle, ...this.running]) {
      worker.postMessage({ kind: 'forget' } satisfies AsOfMessage);
    }
    await ReplaySnapshots.markErasure(asOfSnapshotsDir(this.config), erasedAt);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.reject(new Error('shutting down'));
    const workers = [...this.idle.splice(0), ...this.running];
    this.running.clear();
    await Promise.all(workers.map((worker) => this.stop(worker)));
  }

  // A replay's scratch files go with its store; a worker stopped mid-replay leaves them, so
  // they are deleted once it is gone.
  private async stop(worker: Worker): Promise<void> {
    const { threadId } = worker;
    await worker.terminate();
    await ReplaySnapshots.removeScratch(asOfSnapshotsDir(this.config), threadId);
  }

  private dropWaiting(pending: Pending): void {
    const index = this.waiting.indexOf(pending);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    pending.reject(clientGone());
  }

  private spawn(): Worker {
    const worker = new Worker(workerEntry, { workerData: { config: this.config } });
    // an idle worker never keeps the process alive
    worker.unref();
    return worker;
  }

  private start(pending: Pending): void {
    const worker = this.idle.pop() ?? this.spawn();
    this.running.add(worker);
    const settle = (reuse: boolean): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      pending.signal?.removeEventListener('abort', onAbort);
      this.running.delete(worker);
      if (reuse && !this.closed) this.idle.push(worker);
      else void this.stop(worker);
      this.next();
    };
    const onMessage = (outcome: AsOfOutcome): void => {
      settle(true);
      if (outcome.ok) pending.resolve(outcome.answer);
      else pending.reject(new Error(`as-of worker: ${outcome.error}`));
    };
    const onError = (error: Error): void => {
      settle(false);
      pending.reject(error);
    };
    const onExit = (code: number): void => {
      settle(false);
      pending.reject(new Error(`as-of worker exited with code ${code}`));
    };
    // terminating is the only way to stop a replay mid-batch; the slot is free at once
    const onAbort = (): void => {
      settle(false);
      pending.reject(clientGone());
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    pending.signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ kind: 'job', job: pending.job } satisfies AsOfMessage);
  }

  private next(): void {
    if (this.closed || this.running.size >= this.size) return;
    const pending = this.waiting.shift();
    if (pending) this.start(pending);
  }
}
