import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from '@lead/event-store';
import type { ReadStore } from '@lead/read-models';
import {
  type AppConfig,
  ConfigError,
  loadConfig,
  openEventStore,
  openReadStore,
} from '@lead/runtime';
import { CliError, type CliContext } from './cli-context';

export type CliStores = { config: AppConfig; eventStore: EventStore; readStore: ReadStore };

// The same variables as the service (DATA_DIR, EVENTSTORE_URL, MONGO_URL, ...), so the CLI
// reads exactly the stores the service writes.
export const cliConfig = (context: CliContext): AppConfig => {
  try {
    return loadConfig(context.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration: ${error.message}`);
    throw error;
  }
};

// Reading commands must not create an empty embedded log where the user mistyped DATA_DIR.
const requireEmbeddedLog = (config: AppConfig): void => {
  const path = join(config.dataDir, 'events.sqlite');
  if (!config.eventStoreUrl && !existsSync(path)) {
    throw new CliError(
      `no event log at ${path}: set DATA_DIR to the service's data directory (or EVENTSTORE_URL for EventStoreDB)`,
    );
  }
};

/** Opens the event log, runs `work`, closes it. */
export const withEventStore = async <T>(
  context: CliContext,
  work: (eventStore: EventStore, config: AppConfig) => Promise<T>,
): Promise<T> => {
  const config = cliConfig(context);
  requireEmbeddedLog(config);
  const eventStore = await openEventStore(config, context.now);
  try {
    return await work(eventStore, config);
  } finally {
    await eventStore.close();
  }
};

/** Opens the event log and the read store, runs `work`, closes both. */
export const withStores = <T>(
  context: CliContext,
  work: (stores: CliStores) => Promise<T>,
): Promise<T> =>
  withEventStore(context, async (eventStore, config) => {
    const readStore = await openReadStore(config);
    try {
      return await work({ config, eventStore, readStore });
    } finally {
      await readStore.close();
    }
  });
