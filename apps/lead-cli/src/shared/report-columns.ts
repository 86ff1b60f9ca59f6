import type { Revenue } from '@lead/read-models';
import { type Column, formatMoney, formatRatio } from './output-format';

// Column builders shared by the closed-loop reports: counts, rates and money per currency.

export const countColumn = <R>(
  name: string,
  header: string,
  value: (row: R) => number,
): Column<R> => ({ name, header, text: (row) => String(value(row)), align: 'right' });

export const rateColumn = <R>(
  name: string,
  header: string,
  value: (row: R) => number | null,
): Column<R> => ({
  name,
  header,
  text: (row) => formatRatio(value(row)),
  raw: value,
  align: 'right',
});

// One cell for every currency, never a sum across them: "1,200.00 USD; 800.00 EUR" for people,
// "USD:120000;EUR:80000" (minor units) in CSV.
export const revenueColumn = <R>(
  name: string,
  header: string,
  value: (row: R) => Revenue[],
): Column<R> => ({
  name,
  header,
  text: (row) =>
    value(row)
      .map(({ currency, amount }) => `${formatMoney(amount, currency)} ${currency}`)
      .join('; ') || '-',
  raw: (row) =>
    value(row)
      .map(({ currency, amount }) => `${currency}:${amount}`)
      .join(';'),
});
