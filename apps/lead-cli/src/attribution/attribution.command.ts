import type { AttributionModel } from '@lead/domain';
import {
  type AttributionGrouping,
  type AttributionRow,
  type AttributionTotal,
  attributionReport,
} from '@lead/read-models';
import { type CliContext, writeLine } from '../shared/cli-context';
import { businessRange } from '../shared/business-range';
import {
  type Column,
  formatMoney,
  printJson,
  renderCsv,
  renderTable,
} from '../shared/output-format';
import { type ReportOptions, describeAsOf } from '../shared/report-options';
import { withReportView } from '../shared/report-view';

export type AttributionOptions = ReportOptions & {
  model: AttributionModel;
  groupBy: AttributionGrouping;
};

const money: Column<AttributionTotal>[] = [
  { name: 'currency', header: 'currency', text: (row) => row.currency },
  {
    name: 'amount',
    header: 'amount',
    text: (row) => formatMoney(row.amount, row.currency),
    raw: (row) => row.amount,
    align: 'right',
  },
  {
    name: 'conversions',
    header: 'conversions',
    text: (row) => String(row.conversions),
    align: 'right',
  },
];

const rowColumns = (groupBy: AttributionGrouping): Column<AttributionRow>[] => [
  { name: 'key', header: groupBy, text: (row) => row.key },
  ...money,
];

// The JSON is the API's GET /attribution answer; CSV has one line per row with amounts in minor
// units; the table is for people (amounts in major units, totals per currency below).
export const attributionCommand = async (
  options: AttributionOptions,
  context: CliContext,
): Promise<number> => {
  const range = businessRange(options);
  const request = { asOf: options.asOf, option: '--as-of', quiet: options.quiet };
  await withReportView(context, request, async ({ store, asOf }) => {
    const report = await attributionReport(store, {
      model: options.model,
      groupBy: options.groupBy,
      ...range,
    });
    const result = {
      model: report.model,
      groupBy: report.groupBy,
      asOf,
      rows: report.rows,
      totals: report.totals,
    };
    if (options.format === 'json') return printJson(context, result);
    if (options.format === 'csv') {
      return writeLine(context.stdout, renderCsv(rowColumns(options.groupBy), result.rows));
    }
    writeLine(
      context.stdout,
      `attribution ${result.model} by ${result.groupBy}, ${describeAsOf(asOf)}`,
    );
    writeLine(context.stdout);
    if (result.rows.length === 0) return writeLine(context.stdout, 'no conversions');
    writeLine(context.stdout, renderTable(rowColumns(options.groupBy), result.rows));
    writeLine(context.stdout);
    writeLine(context.stdout, 'totals');
    writeLine(context.stdout, renderTable(money, result.totals));
  });
  return 0;
};
