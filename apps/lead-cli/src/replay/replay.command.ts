import type { LeadStage } from '@lead/domain';
import {
  type AsOf,
  type AttributionTotal,
  attributionReport,
  funnel,
  slaHandoffs,
} from '@lead/read-models';
import { type CliContext, writeLine } from '../shared/cli-context';
import { withEventStore } from '../shared/cli-stores';
import { formatMoney, printJson } from '../shared/output-format';
import { describeAsOf } from '../shared/report-options';
import { replayWithProgress, resolveReplayLimit } from '../shared/report-view';

export type ReplayOptions = { to: string; format: 'table' | 'json'; quiet: boolean };

const stages: Exclude<LeadStage, 'initial'>[] = [
  'captured',
  'mql',
  'handed_off',
  'nurturing',
  'accepted',
  'converted',
  'lost',
];

export type ReplaySummary = {
  asOf: AsOf;
  now: string;
  events: number;
  leads: number;
  stages: Record<(typeof stages)[number], number>;
  conversions: AttributionTotal[];
  handoffs: { total: number; met: number; breached: number; open: number };
};

// "What did we know then": the log up to a position or a recorded time, replayed through the
// live projections and summarised with the same queries the API answers with.
export const replayCommand = async (options: ReplayOptions, context: CliContext): Promise<number> =>
  withEventStore(context, async (eventStore) => {
    const limit = await resolveReplayLimit(eventStore, options.to, '--to', context.now());
    const replayed = await replayWithProgress(eventStore, limit, context, options.quiet);
    const { store, asOf, now } = replayed;
    try {
      const current = (await funnel(store, {})).currentStages;
      // totals are per currency and the same under every model: the converted amounts
      const { totals } = await attributionReport(store, { model: 'linear', groupBy: 'sourcedBy' });
      const handoffs = await slaHandoffs(store, { now });
      const count = (status: string) => handoffs.filter((view) => view.status === status).length;
      const summary: ReplaySummary = {
        asOf,
        now,
        events: replayed.events,
        leads: await store.collection('leads').count(),
        stages: Object.fromEntries(
          stages.map((stage) => [stage, current[stage] ?? 0]),
        ) as ReplaySummary['stages'],
        conversions: totals,
        handoffs: {
          total: handoffs.length,
          met: count('met'),
          breached: count('breached'),
          open: count('open'),
        },
      };
      if (options.format === 'json') printJson(context, summary);
      else printSummary(summary, context);
      return 0;
    } finally {
      await store.close();
    }
  });

const printSummary = (summary: ReplaySummary, context: CliContext): void => {
  const line = (text = '') => writeLine(context.stdout, text);
  line(`replayed ${summary.events} events, ${describeAsOf(summary.asOf)}`);
  line(`SLA judged at ${summary.now}`);
  line();
  line(`leads        ${summary.leads}`);
  for (const [stage, count] of Object.entries(summary.stages)) {
    line(`  ${stage.padEnd(11)}${String(count).padStart(8)}`);
  }
  line(
    `conversions  ${
      summary.conversions
        .map(
          (total) =>
            `${total.currency} ${formatMoney(total.amount, total.currency)} (${total.conversions})`,
        )
        .join(', ') || 'none'
    }`,
  );
  const { total, met, breached, open } = summary.handoffs;
  line(`handoffs     ${total}: ${met} met, ${breached} breached, ${open} open`);
};
