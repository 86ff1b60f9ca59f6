import { validate as validateUuid } from 'uuid';
import { leadStream, leadStreamPrefix } from '@lead/domain';
import { type ChainVerdict, type EventStore, readAllBatches, verifyChain } from '@lead/event-store';
import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { withEventStore } from '../shared/cli-stores';
import { printJson } from '../shared/output-format';
import { progressBar } from '../shared/progress';

export type VerifyOptions = { lead?: string; format: 'text' | 'json'; quiet: boolean };

type Broken = Extract<ChainVerdict, { valid: false }>['brokenAt'] & { streamId: string };
export type VerifyReport = { streams: number; events: number; broken: Broken[] };

const scanBatch = 5_000;

// Every lead stream in the log, in order of first appearance. A stream whose events were all
// deleted leaves no trace here; the chain proves what is there, not that nothing is missing
// after a stream's last event.
const leadStreams = async (eventStore: EventStore): Promise<string[]> => {
  const streams = new Set<string>();
  const batches = readAllBatches(eventStore, {
    streamPrefix: leadStreamPrefix,
    batchSize: scanBatch,
  });
  for await (const batch of batches) for (const event of batch) streams.add(event.streamId);
  return [...streams];
};

// Recomputes each lead's audit hash chain (DESIGN §3): an edited event breaks its hash, a
// deleted one leaves a gap in the revisions. Exit code 1 when any stream is broken.
export const verifyCommand = async (options: VerifyOptions, context: CliContext): Promise<number> =>
  withEventStore(context, async (eventStore) => {
    if (options.lead !== undefined && !validateUuid(options.lead)) {
      throw new CliError(`--lead must be a lead id (a UUID), got "${options.lead}"`);
    }
    const streams =
      options.lead === undefined
        ? await leadStreams(eventStore)
        : [leadStream(options.lead.toLowerCase())];
    const report: VerifyReport = { streams: streams.length, events: 0, broken: [] };
    const progress = progressBar(context, {
      label: 'verifying',
      unit: 'streams',
      quiet: options.quiet,
    });
    progress.start(streams.length);
    try {
      for (const streamId of streams) {
        const events = await eventStore.readStream(streamId);
        if (events.length === 0) throw new CliError(`lead ${options.lead} has no events`);
        const verdict = verifyChain(events);
        if (!verdict.valid) report.broken.push({ streamId, ...verdict.brokenAt });
        report.events += events.length;
        progress.increment();
      }
    } finally {
      progress.stop();
    }
    if (options.format === 'json') printJson(context, report);
    else printReport(report, context);
    return report.broken.length === 0 ? 0 : 1;
  });

const printReport = ({ streams, events, broken }: VerifyReport, context: CliContext): void => {
  for (const stream of broken) {
    const event = stream.eventId === null ? '' : ` (event ${stream.eventId})`;
    writeLine(
      context.stdout,
      `broken ${stream.streamId} at revision ${stream.revision}${event}: ${stream.reason}`,
    );
  }
  writeLine(
    context.stdout,
    broken.length === 0
      ? `ok ${streams} streams, ${events} events`
      : `${broken.length} of ${streams} streams broken (${events} events checked)`,
  );
};
