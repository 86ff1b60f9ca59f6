import { type EventStore, describeFailure, isStorageFailure } from '@lead/event-store';

export type WriteFailure = { at: string; error: string };

// The event store's last storage failure on append (full disk, I/O error, server gone), for
// readiness and metrics, until an append succeeds again or it is older than `reportForMs`: an
// instance that a load balancer takes out of rotation gets no writes that could clear it. Only `append` is wrapped, on the
// instance, so the port can grow without this file changing.
export class WriteStatus {
  private lastFailure: WriteFailure | null = null;
  private failures = 0;

  constructor(
    private readonly now: () => Date,
    private readonly reportForMs = 30_000,
  ) {}

  watch<S extends EventStore>(store: S): S {
    const append = store.append.bind(store);
    store.append = async (streamId, events, expected) => {
      try {
        const result = await append(streamId, events, expected);
        this.lastFailure = null;
        return result;
      } catch (error) {
        if (isStorageFailure(error)) {
          this.failures += 1;
          this.lastFailure = { at: this.now().toISOString(), error: describeFailure(error) };
        }
        throw error;
      }
    };
    return store;
  }

  /** null when the last append stored its events, none has failed, or the failure is stale */
  failing(): WriteFailure | null {
    const failure = this.lastFailure;
    if (failure && this.now().getTime() - Date.parse(failure.at) > this.reportForMs) return null;
    return failure;
  }

  /** appends refused by the storage since start (a counter) */
  failedWrites(): number {
    return this.failures;
  }
}
