import { marketingTargetAt } from '@lead/domain';
import {
  type MarketingVolumeRow,
  type SlaGrouping,
  type SlaSummaryRow,
  slaSummary,
} from '@lead/read-models';
import { readAgreementState } from '../shared/agreement-state';
import { type CliContext, writeLine } from '../shared/cli-context';
import { withEventStore } from '../shared/cli-stores';
import { businessRange } from '../shared/business-range';
import {
  type Column,
  formatNumber,
  formatRatio,
  printJson,
  renderCsv,
  renderTable,
} from '../shared/output-format';
import { type ReportOptions, describeAsOf } from '../shared/report-options';
import { withReportView } from '../shared/report-view';

export type SlaOptions = ReportOptions & { groupBy: SlaGrouping };

type Count =
  | 'handoffs'
  | 'met'
  | 'breached'
  | 'open'
  | 'followUps'
  | 'followUpsMet'
  | 'followUpsBreached'
  | 'followUpsOpen';

const count = (name: Count, header: string = name): Column<SlaSummaryRow> => ({
  name,
  header,
  text: (row) => String(row[name]),
  align: 'right',
});

const minutes = (
  name: string,
  header: string,
  value: (row: SlaSummaryRow) => number | null,
): Column<SlaSummaryRow> => ({
  name,
  header,
  text: (row) => formatNumber(value(row)),
  raw: value,
  align: 'right',
});

const summaryColumns = (groupBy: SlaGrouping): Column<SlaSummaryRow>[] => [
  { name: 'key', header: groupBy, text: (row) => row.key },
  count('handoffs'),
  count('met'),
  count('breached'),
  count('open'),
  {
    name: 'compliance',
    header: 'compliance',
    text: (row) => formatRatio(row.compliance),
    raw: (row) => row.compliance,
    align: 'right',
  },
  minutes('responseMedianMinutes', 'response median min', (row) => row.responseMinutes.median),
  minutes('responseP90Minutes', 'p90', (row) => row.responseMinutes.p90),
  minutes(
    'speedToLeadMedianMinutes',
    'speed to lead median min',
    (row) => row.speedToLeadMinutes.median,
  ),
  minutes('speedToLeadP90Minutes', 'p90', (row) => row.speedToLeadMinutes.p90),
  // the follow-up SLA of accepted handoffs (issue 14): attempts within the agreed hours
  count('followUps', 'follow-ups'),
  count('followUpsMet', 'met'),
  count('followUpsBreached', 'breached'),
  count('followUpsOpen', 'open'),
  {
    name: 'followUpCompliance',
    header: 'compliance',
    text: (row) => formatRatio(row.followUpCompliance),
    raw: (row) => row.followUpCompliance,
    align: 'right',
  },
];

const volumeColumns: Column<MarketingVolumeRow>[] = [
  { name: 'month', header: 'month', text: (row) => row.month },
  {
    name: 'handoffs',
    header: 'leads delivered',
    text: (row) => String(row.handoffs),
    align: 'right',
  },
  { name: 'target', header: 'target', text: (row) => String(row.target), align: 'right' },
  { name: 'met', header: 'met', text: (row) => (row.met ? 'yes' : 'no') },
  {
    name: 'acceptanceRate',
    header: 'accepted',
    text: (row) => formatRatio(row.acceptanceRate),
    align: 'right',
  },
  {
    name: 'minAcceptanceRate',
    header: 'min accepted',
    text: (row) => formatRatio(row.minAcceptanceRate),
    align: 'right',
  },
  {
    name: 'agreementVersion',
    header: 'agreement',
    text: (row) => (row.agreementVersion === null ? '-' : `v${row.agreementVersion}`),
  },
];

// The JSON is the API's GET /sla/summary answer. Statuses are judged at `now`: the wall clock for
// the live read models, the as-of instant for a replay.
export const slaCommand = async (options: SlaOptions, context: CliContext): Promise<number> => {
  const range = businessRange(options);
  const request = { asOf: options.asOf, option: '--as-of', quiet: options.quiet };
  // marketing's targets come from the agreement in force at each month's start
  const agreement = await withEventStore(context, readAgreementState);
  await withReportView(context, request, async ({ store, asOf, now }) => {
    const summary = await slaSummary(store, {
      ...range,
      now,
      groupBy: options.groupBy,
      targetAt: (at) => marketingTargetAt(agreement, at),
    });
    if (options.format === 'json') return printJson(context, { asOf, now, ...summary });
    const columns = summaryColumns(options.groupBy);
    if (options.format === 'csv')
      return writeLine(context.stdout, renderCsv(columns, summary.rows));
    writeLine(
      context.stdout,
      `sales response and follow-up SLA by ${summary.groupBy}, ${describeAsOf(asOf)}, judged at ${now}`,
    );
    writeLine(context.stdout);
    if (summary.rows.length === 0) return writeLine(context.stdout, 'no handoffs');
    writeLine(context.stdout, renderTable(columns, summary.rows));
    writeLine(context.stdout);
    writeLine(context.stdout, 'marketing volume (leads delivered per month against the target)');
    writeLine(context.stdout, renderTable(volumeColumns, summary.marketingVolume));
  });
  return 0;
};
