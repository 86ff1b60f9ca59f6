import { ConfigError, devApiKeys, loadConfig, mayCall, parseApiKeys } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded stores, the relay off and the development tokens', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/x' });
    expect(config).toMatchObject({
      production: false,
      port: 3000,
      dataDir: '/tmp/x',
      eventStoreUrl: null,
      mongoUrl: null,
      kafkaBrokers: [],
      kafkaTopic: 'lead-events',
      kafkaIdempotent: true,
      backgroundWork: true,
      devTokens: true,
      mqlThreshold: 60,
      slaAcceptWithinMinutes: 1440,
      mqlTargetPerMonth: 100,
      slaBreachGraceSeconds: 60,
      rateLimitPerMinute: 30_000,
      logLevel: 'info',
    });
    expect(config.apiKeys).toEqual(devApiKeys);
  });

  it('keeps tests quiet unless LOG_LEVEL asks for logs', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'Debug' }).logLevel).toBe('debug');
  });

  it('reads RATE_LIMIT_PER_MINUTE; 0 turns rate limiting off', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '30' }).rateLimitPerMinute).toBe(30);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
  });

  it('production refuses to start without API_KEYS and never uses dev tokens', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/API_KEYS is required/);
    const token = 's3cret-s3cret-s3cret-s3cret-s3cret';
    const config = loadConfig({ NODE_ENV: 'production', API_KEYS: `${token}:sales:rep-1` });
    expect(config.apiKeys).toEqual([{ token, role: 'sales', actorId: 'rep-1' }]);
    expect(config.devTokens).toBe(false);
  });

  it('reads the server variables', () => {
    const config = loadConfig({
      EVENTSTORE_URL: 'esdb://es:2113?tls=false',
      MONGO_URL: 'mongodb://m:27017',
      MONGO_DB: 'leads',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      KAFKA_TOPIC: 't',
      KAFKA_IDEMPOTENT: 'false',
      BACKGROUND_WORK: 'off',
    });
    expect(config).toMatchObject({
      eventStoreUrl: 'esdb://es:2113?tls=false',
      mongoUrl: 'mongodb://m:27017',
      mongoDb: 'leads',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      kafkaTopic: 't',
      kafkaIdempotent: false,
      backgroundWork: false,
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MQL_THRESHOLD', '0'],
    ['MQL_THRESHOLD', '101'],
    ['MQL_THRESHOLD', '50.5'],
    ['SLA_ACCEPT_WITHIN_MINUTES', '0'],
    ['KAFKA_IDEMPOTENT', 'maybe'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['RATE_LIMIT_PER_MINUTE', 'lots'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });
});

describe('parseApiKeys', () => {
  it('parses token:role:actorId entries separated by ;', () => {
    expect(parseApiKeys('a:marketing:m-1; b:admin:root ;')).toEqual([
      { token: 'a', role: 'marketing', actorId: 'm-1' },
      { token: 'b', role: 'admin', actorId: 'root' },
    ]);
  });

  it.each(['a:wizard:x', 'a:sales', 'a:sales:x:y', ':sales:x', ';'])(
    'refuses %j without echoing the secret',
    (value) => {
      const error = (() => {
        try {
          parseApiKeys(value);
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).not.toContain('a:');
    },
  );
});

// issue 10: a token that can never authenticate, or one that silently takes another's role
describe('parseApiKeys refuses at start, naming API_KEYS and never the token', () => {
  const refusal = (value: string, options?: { production: boolean }): Error => {
    try {
      parseApiKeys(value, options);
    } catch (caught) {
      return caught as Error;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    ['a duplicate token', 'same-token:sales:rep-1;same-token:admin:root', /duplicate token/],
    ['a token with a space', 'my token:sales:rep-1', /printable ASCII/],
    ['a token with a tab', 'my\ttoken:sales:rep-1', /printable ASCII/],
    ['a non-ASCII token', 'tökén:sales:rep-1', /printable ASCII/],
    ['a token with a control character', 'tok\u0007en:sales:rep-1', /printable ASCII/],
    ['an unknown role', 'token-1:wizard:rep-1', /role one of/],
    ['an empty actor id', 'token-1:sales:', /token:role:actorId/],
  ])('%s', (_, value, message) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^API_KEYS/);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(value.split(':')[0]);
  });

  it('in production, a token shorter than 32 characters', () => {
    const error = refusal('short-token:sales:rep-1', { production: true });
    expect(error.message).toMatch(/^API_KEYS: .*at least 32 characters/);
    expect(() => parseApiKeys('short-token:sales:rep-1')).not.toThrow();
    expect(() =>
      loadConfig({ NODE_ENV: 'production', API_KEYS: 'short-token:sales:rep-1' }),
    ).toThrow(/at least 32 characters/);
  });
});

describe('managers (issue 12)', () => {
  it('have dev tokens dev-marketing-manager and dev-sales-manager', () => {
    expect(devApiKeys.map(({ token }) => token)).toEqual(
      expect.arrayContaining(['dev-marketing-manager', 'dev-sales-manager']),
    );
  });

  it('may do all that their team may, and nothing of the other team', () => {
    expect(mayCall('marketing_manager', ['marketing'])).toBe(true);
    expect(mayCall('sales_manager', ['sales'])).toBe(true);
    expect(mayCall('marketing_manager', ['sales'])).toBe(false);
    expect(mayCall('sales_manager', ['marketing', 'analyst'])).toBe(false);
    expect(mayCall('marketing', ['marketing_manager'])).toBe(false);
    expect(mayCall('admin', [])).toBe(true);
  });

  it('parse from API_KEYS', () => {
    expect(parseApiKeys('m:marketing_manager:mm-1')).toEqual([
      { token: 'm', role: 'marketing_manager', actorId: 'mm-1' },
    ]);
  });
});
