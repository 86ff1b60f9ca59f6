import { leadProjections, retryParked } from '@lead/read-models';
import { type CliContext, writeLine } from '../shared/cli-context';
import { withStores } from '../shared/cli-stores';

export type RetryParkedCommandOptions = { quiet: boolean };

// Re-projects the documents whose events were parked as poison, after the projection was fixed.
// Like rebuild, it needs the projector stopped (service and lead-worker).
export const retryParkedCommand = async (
  _options: RetryParkedCommandOptions,
  context: CliContext,
): Promise<number> =>
  withStores(context, async ({ eventStore, readStore }) => {
    const result = await retryParked(readStore, eventStore, leadProjections);
    writeLine(
      context.stdout,
      `parked ${result.parked}: ${result.resolved} resolved, ${result.failed} failed again, ` +
        `${result.superseded} left for a running projector; ${result.rebuilt} documents rebuilt`,
    );
    return result.failed > 0 ? 1 : 0;
  });
