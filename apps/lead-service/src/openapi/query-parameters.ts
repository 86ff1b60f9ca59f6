// OpenAPI descriptions of the query parameters the read endpoints share.

export const consistentWithProperty = {
  pattern: '^\\d{1,20}$',
  description:
    'a position from a command response: waits (up to 2 s) until the read models include it, so you read your own write; 503 if they do not',
  example: '1042',
};

export const asOfProperty = {
  description:
    'knowledge time: answer from the log as recorded up to this ISO-8601 time or position:<n> (replayed, reproducible)',
  example: '2026-06-30T23:59:59Z',
};

export const fromProperty = {
  format: 'date-time',
  description: 'business time window start (inclusive)',
  example: '2026-01-01T00:00:00Z',
};

export const toProperty = {
  format: 'date-time',
  description: 'business time window end (exclusive)',
  example: '2026-07-01T00:00:00Z',
};
