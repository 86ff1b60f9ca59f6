import type { CliContext } from './cli-context';

export const outputFormats = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export type Column<R> = {
  /** the CSV header: a stable machine name */
  name: string;
  /** the table header: for people */
  header: string;
  /** the cell in a table: formatted for people */
  text: (row: R) => string;
  /** the cell in CSV: the raw value (minor units, ratios); the table text when omitted */
  raw?: (row: R) => string | number | null;
  align?: 'left' | 'right';
};

// Money is integer minor units (DESIGN §3); the digits after the point follow the currency
// (JPY 0, EUR 2, ...). A fixed locale keeps the output the same on every machine.
const fractionDigits = (currency: string): number => {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits!;
  } catch {
    return 2;
  }
};

const grouped = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * 1250000 EUR → "12,500.00"; works on the digits, so no float ever rounds a cent (a sum above
 * 2^53 - 1 arrives as its decimal string)
 */
export const formatMoney = (minorUnits: number | string, currency: string): string => {
  const digits = fractionDigits(currency);
  const written = String(minorUnits);
  const sign = written.startsWith('-') ? '-' : '';
  const text = written.replace(/^-/, '').padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${grouped(text)}`;
  return `${sign}${grouped(text.slice(0, -digits))}.${text.slice(-digits)}`;
};

export const formatRatio = (ratio: number | null): string =>
  ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`;

export const formatNumber = (value: number | null): string =>
  value === null ? '-' : String(value);

export const renderTable = <R>(columns: Column<R>[], rows: R[]): string => {
  const cells = rows.map((row) => columns.map((column) => column.text(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((line) => line[index].length)),
  );
  const line = (values: string[]): string =>
    values
      .map((value, index) =>
        columns[index].align === 'right'
          ? value.padStart(widths[index])
          : value.padEnd(widths[index]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.map(line),
  ].join('\n');
};

// RFC 4180 fields (lines end in \n, which every CSV reader accepts): quote a field holding a comma, a quote or a line break; double inner quotes.
const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export const renderCsv = <R>(columns: Column<R>[], rows: R[]): string =>
  [
    columns.map((column) => csvField(column.name)).join(','),
    ...rows.map((row) =>
      columns.map((column) => csvField((column.raw ?? column.text)(row))).join(','),
    ),
  ].join('\n');

export const printJson = (context: CliContext, value: unknown): void => {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
