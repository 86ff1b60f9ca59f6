import { type Column, formatMoney, formatRatio, renderCsv, renderTable } from './output-format';

type Row = { key: string; amount: number; currency: string };
const columns: Column<Row>[] = [
  { name: 'key', header: 'campaign', text: (row) => row.key },
  { name: 'currency', header: 'currency', text: (row) => row.currency },
  {
    name: 'amount',
    header: 'amount',
    text: (row) => formatMoney(row.amount, row.currency),
    raw: (row) => row.amount,
    align: 'right',
  },
];
const rows: Row[] = [
  { key: 'spring-webinar', amount: 1_250_000, currency: 'EUR' },
  { key: 'say "hi", twice', amount: 5, currency: 'JPY' },
];

describe('formatMoney', () => {
  it.each([
    [1_250_000, 'EUR', '12,500.00'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [-123_456, 'USD', '-1,234.56'],
    [1_234_567, 'JPY', '1,234,567'],
    [1_234, 'BHD', '1.234'],
    [9_007_199_254_740_991, 'USD', '90,071,992,547,409.91'],
    ['12000000000000003', 'USD', '120,000,000,000,000.03'],
  ])('%s %s is %s (exact, from the digits)', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });
});

describe('formatRatio', () => {
  it('shows a percentage, or a dash when there is nothing to divide', () => {
    expect(formatRatio(0.8756)).toBe('87.6%');
    expect(formatRatio(null)).toBe('-');
  });
});

describe('renderTable', () => {
  it('aligns columns under people headers, numbers to the right', () => {
    expect(renderTable(columns, rows).split('\n')).toEqual([
      'campaign         currency     amount',
      '---------------  --------  ---------',
      'spring-webinar   EUR       12,500.00',
      'say "hi", twice  JPY               5',
    ]);
  });
});

describe('renderCsv', () => {
  it('uses machine names and raw values, quoting fields as RFC 4180 says', () => {
    expect(renderCsv(columns, rows).split('\n')).toEqual([
      'key,currency,amount',
      'spring-webinar,EUR,1250000',
      '"say ""hi"", twice",JPY,5',
    ]);
  });

  it('writes null as an empty field', () => {
    const nullable: Column<{ value: number | null }>[] = [
      { name: 'value', header: 'value', text: () => '-', raw: (row) => row.value },
    ];
    expect(renderCsv(nullable, [{ value: null }, { value: 0 }])).toBe('value\n\n0');
  });
});
