import { leadProjections, rebuild } from '@lead/read-models';
import { type CliContext, writeLine } from '../shared/cli-context';
import { withStores } from '../shared/cli-stores';
import { progressBar } from '../shared/progress';

export type RebuildOptions = { quiet: boolean };

// Drops the read models and projects the whole log again. The service (or lead-worker) must be
// stopped: a running projector would keep writing from its own checkpoint meanwhile.
export const rebuildCommand = async (
  options: RebuildOptions,
  context: CliContext,
): Promise<number> =>
  withStores(context, async ({ eventStore, readStore }) => {
    const started = performance.now();
    const head = await eventStore.headPosition();
    const progress = progressBar(context, {
      label: 'rebuilding',
      unit: 'positions',
      quiet: options.quiet,
    });
    progress.start(Number(head));
    let projected = 0;
    let position: bigint;
    try {
      position = await rebuild(readStore, eventStore, leadProjections, {
        onBatch: (reached, events) => {
          projected = events;
          progress.update(Number(reached));
        },
      });
    } finally {
      progress.stop();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    writeLine(
      context.stdout,
      `rebuilt ${leadProjections.length} read models from ${projected} events up to position ${position} in ${seconds}s`,
    );
    return 0;
  });
