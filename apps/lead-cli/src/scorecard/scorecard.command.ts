import { marketingTargetAt } from '@lead/domain';
import {
  type MarketingScorecardRow,
  type SalesScorecardGrouping,
  type SalesScorecardRow,
  marketingScorecard,
  salesScorecard,
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
import { countColumn, rateColumn, revenueColumn } from '../shared/report-columns';
import { type ReportOptions, describeAsOf } from '../shared/report-options';
import { withReportView } from '../shared/report-view';

export const scorecardTeams = ['marketing', 'sales'] as const;
export type ScorecardTeam = (typeof scorecardTeams)[number];
export type ScorecardOptions = ReportOptions & { groupBy: SalesScorecardGrouping };

const yesNo = (value: boolean | null): string => (value === null ? '-' : value ? 'yes' : 'no');

const marketingColumns: Column<MarketingScorecardRow>[] = [
  { name: 'month', header: 'month', text: (row) => row.month },
  countColumn('mqls', 'MQLs', (row) => row.mqls),
  countColumn('handoffs', 'delivered', (row) => row.handoffs),
  {
    name: 'volumeTarget',
    header: 'target',
    text: (row) => formatNumber(row.volumeTarget),
    raw: (row) => row.volumeTarget,
    align: 'right',
  },
  { name: 'volumeMet', header: 'met', text: (row) => yesNo(row.volumeMet) },
  countColumn('accepted', 'accepted', (row) => row.accepted),
  countColumn('rejected', 'rejected', (row) => row.rejected),
  countColumn('overturned', 'overturned', (row) => row.overturned),
  rateColumn('acceptanceRate', 'acceptance', (row) => row.acceptanceRate),
  {
    name: 'qualityTarget',
    header: 'min',
    text: (row) => formatRatio(row.qualityTarget),
    raw: (row) => row.qualityTarget,
    align: 'right',
  },
  { name: 'qualityMet', header: 'met', text: (row) => yesNo(row.qualityMet) },
  revenueColumn('sourcedRevenue', 'sourced revenue', (row) => row.sourcedRevenue),
  {
    name: 'agreementVersion',
    header: 'agreement',
    text: (row) => (row.agreementVersion === null ? '-' : `v${row.agreementVersion}`),
    raw: (row) => row.agreementVersion,
  },
];

const salesColumns = (groupBy: SalesScorecardGrouping): Column<SalesScorecardRow>[] => [
  { name: 'key', header: groupBy, text: (row) => row.key },
  countColumn('handoffs', 'handoffs', (row) => row.handoffs),
  countColumn('respondedOnTime', 'on time', (row) => row.respondedOnTime),
  countColumn('respondedLate', 'late', (row) => row.respondedLate),
  countColumn('unanswered', 'unanswered', (row) => row.unanswered),
  rateColumn('responseCompliance', 'response', (row) => row.responseCompliance),
  countColumn('worked', 'worked', (row) => row.worked),
  countColumn('followUpsMet', 'follow-ups met', (row) => row.followUpsMet),
  countColumn('followUpsBreached', 'breached', (row) => row.followUpsBreached),
  rateColumn('followUpCompliance', 'follow-up', (row) => row.followUpCompliance),
  countColumn('sql', 'SQLs', (row) => row.sql),
  countColumn('converted', 'won', (row) => row.converted),
  countColumn('lost', 'lost', (row) => row.lost),
  rateColumn('closeRate', 'close rate', (row) => row.closeRate),
  revenueColumn('revenue', 'revenue', (row) => row.revenue),
  countColumn('rejectionsOverturned', 'wrongful rejections', (row) => row.rejectionsOverturned),
];

// The JSON is the API's GET /scorecards/marketing or /scorecards/sales answer. Marketing's
// targets come from the agreement in force at each month's start, read from the log.
export const scorecardCommand = async (
  team: ScorecardTeam,
  options: ScorecardOptions,
  context: CliContext,
): Promise<number> => {
  const range = businessRange(options);
  const request = { asOf: options.asOf, option: '--as-of', quiet: options.quiet };
  if (team === 'marketing') {
    const agreement = await withEventStore(context, readAgreementState);
    const targetAt = (at: string) => marketingTargetAt(agreement, at);
    await withReportView(context, request, async ({ store, asOf }) => {
      const { months } = await marketingScorecard(store, { ...range, targetAt });
      if (options.format === 'json') return printJson(context, { asOf, months });
      if (options.format === 'csv')
        return writeLine(context.stdout, renderCsv(marketingColumns, months));
      writeLine(
        context.stdout,
        `marketing scorecard: volume and quality against the agreement in force at each month's start, ${describeAsOf(asOf)}`,
      );
      writeLine(context.stdout);
      if (months.length === 0) return writeLine(context.stdout, 'no MQLs or handoffs');
      writeLine(context.stdout, renderTable(marketingColumns, months));
    });
    return 0;
  }
  await withReportView(context, request, async ({ store, asOf, now }) => {
    const scorecard = await salesScorecard(store, { ...range, now, groupBy: options.groupBy });
    if (options.format === 'json') {
      return printJson(context, { groupBy: scorecard.groupBy, asOf, now, rows: scorecard.rows });
    }
    const columns = salesColumns(scorecard.groupBy);
    if (options.format === 'csv')
      return writeLine(context.stdout, renderCsv(columns, scorecard.rows));
    writeLine(
      context.stdout,
      `sales scorecard by ${scorecard.groupBy}, ${describeAsOf(asOf)}, judged at ${now}`,
    );
    writeLine(context.stdout);
    if (scorecard.rows.length === 0) return writeLine(context.stdout, 'no handoffs');
    writeLine(context.stdout, renderTable(columns, scorecard.rows));
  });
  return 0;
};
