import type { EventStore } from '@lead/event-store';
import type { Metrics } from './metrics';

// Counts every successful append made through this store, whoever makes it (command handlers,
// the deadline watcher, erasure). Only `append` is wrapped, on the instance, so the port can grow
// without this file changing.
export const countAppends = <S extends EventStore>(store: S, metrics: Metrics): S => {
  const append = store.append.bind(store);
  store.append = async (streamId, events, expected) => {
    const result = await append(streamId, events, expected);
    metrics.countAppended(events);
    return result;
  };
  return store;
};
