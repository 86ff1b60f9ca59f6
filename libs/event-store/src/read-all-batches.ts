import type { EventStore, ReadAllOptions, RecordedEvent, StoredEvent } from './event-store.port';

export type ReadAllBatchesOptions = Omit<ReadAllOptions, 'limit'> & {
  /** default 1,000 */
  batchSize?: number;
};

/**
 * The log after `options.after` (the selected streams only), in order, in batches of at most
 * `batchSize`, up to the head as it is when the last batch is read. The one paging loop over
 * `readAll`: breaking out of a `for await` stops the reading.
 */
export async function* readAllBatches<E extends StoredEvent = StoredEvent>(
  store: EventStore,
  options: ReadAllBatchesOptions = {},
): AsyncGenerator<RecordedEvent<E>[]> {
  const { batchSize = 1_000, streamPrefix, personalData } = options;
  let after = options.after;
  for (;;) {
    const batch = await store.readAll<E>({ after, streamPrefix, personalData, limit: batchSize });
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1].position;
  }
}
