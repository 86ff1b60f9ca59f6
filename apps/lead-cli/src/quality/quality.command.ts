import {
  type QualityGrouping,
  type QualityRow,
  type ScoreBandRow,
  qualityReport,
  scoreBandReport,
} from '@lead/read-models';
import { type CliContext, writeLine } from '../shared/cli-context';
import { businessRange } from '../shared/business-range';
import {
  type Column,
  formatNumber,
  printJson,
  renderCsv,
  renderTable,
} from '../shared/output-format';
import { countColumn, rateColumn, revenueColumn } from '../shared/report-columns';
import { type ReportOptions, describeAsOf } from '../shared/report-options';
import { withReportView } from '../shared/report-view';

export type QualityOptions = ReportOptions & { groupBy: QualityGrouping; scoreBands: boolean };

const qualityColumns = (groupBy: QualityGrouping): Column<QualityRow>[] => [
  { name: 'key', header: groupBy, text: (row) => row.key },
  countColumn('handoffs', 'handoffs', (row) => row.handoffs),
  countColumn('accepted', 'accepted', (row) => row.accepted),
  countColumn('rejected', 'rejected', (row) => row.rejected),
  countColumn('overturned', 'overturned', (row) => row.overturned),
  rateColumn('acceptanceRate', 'acceptance', (row) => row.acceptanceRate),
  countColumn('converted', 'converted', (row) => row.converted),
  rateColumn('conversionRate', 'conversion', (row) => row.conversionRate),
  revenueColumn('revenue', 'revenue', (row) => row.revenue),
  {
    name: 'avgScoreAtHandoff',
    header: 'avg score',
    text: (row) => formatNumber(row.avgScoreAtHandoff),
    raw: (row) => row.avgScoreAtHandoff,
    align: 'right',
  },
  {
    name: 'rejectedBy',
    header: 'rejection reasons',
    text: (row) =>
      Object.entries(row.rejectedBy)
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', ') || '-',
    raw: (row) =>
      Object.entries(row.rejectedBy)
        .map(([reason, count]) => `${reason}:${count}`)
        .join(';'),
  },
];

const bandColumns: Column<ScoreBandRow>[] = [
  { name: 'band', header: 'score at handoff', text: (row) => row.band },
  countColumn('handoffs', 'handoffs', (row) => row.handoffs),
  countColumn('accepted', 'accepted', (row) => row.accepted),
  countColumn('converted', 'converted', (row) => row.converted),
  rateColumn('acceptanceRate', 'acceptance', (row) => row.acceptanceRate),
  rateColumn('conversionRate', 'conversion', (row) => row.conversionRate),
];

const formulas =
  'acceptance = accepted / (accepted + rejected - overturned); conversion = converted / accepted';

// The JSON is the API's GET /quality (or, with --score-bands, GET /quality/score-bands) answer.
export const qualityCommand = async (
  options: QualityOptions,
  context: CliContext,
): Promise<number> => {
  const range = businessRange(options);
  const request = { asOf: options.asOf, option: '--as-of', quiet: options.quiet };
  await withReportView(context, request, async ({ store, asOf }) => {
    if (options.scoreBands) {
      const { bands } = await scoreBandReport(store, range);
      if (options.format === 'json') return printJson(context, { asOf, bands });
      if (options.format === 'csv') return writeLine(context.stdout, renderCsv(bandColumns, bands));
      writeLine(
        context.stdout,
        `score at handoff against acceptance and conversion, ${describeAsOf(asOf)}`,
      );
      writeLine(context.stdout, formulas);
      writeLine(context.stdout);
      return writeLine(context.stdout, renderTable(bandColumns, bands));
    }
    const report = await qualityReport(store, { ...range, groupBy: options.groupBy });
    if (options.format === 'json') {
      return printJson(context, { groupBy: report.groupBy, asOf, rows: report.rows });
    }
    const columns = qualityColumns(report.groupBy);
    if (options.format === 'csv') return writeLine(context.stdout, renderCsv(columns, report.rows));
    writeLine(context.stdout, `lead quality by ${report.groupBy}, ${describeAsOf(asOf)}`);
    writeLine(context.stdout, formulas);
    writeLine(context.stdout);
    if (report.rows.length === 0) return writeLine(context.stdout, 'no handoffs');
    writeLine(context.stdout, renderTable(columns, report.rows));
  });
  return 0;
};
