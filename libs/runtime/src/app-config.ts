import { join } from 'node:path';

export const roles = [
  'marketing',
  'marketing_manager',
  'sales',
  'sales_manager',
  'analyst',
  'auditor',
  'admin',
] as const;
export type Role = (typeof roles)[number];

// A manager may do all that their team may, and signs the agreement for it (DESIGN §6, §10).
const teamOfManager: Partial<Record<Role, Role>> = {
  marketing_manager: 'marketing',
  sales_manager: 'sales',
};

/** Whether `role` may call a route open to `allowed`; admin may do everything. */
export const mayCall = (role: Role, allowed: readonly Role[]): boolean => {
  const team = teamOfManager[role];
  return (
    role === 'admin' || allowed.includes(role) || (team !== undefined && allowed.includes(team))
  );
};
export type ApiKey = { token: string; role: Role; actorId: string };

export type AppConfig = {
  production: boolean;
  port: number;
  dataDir: string;
  eventStoreUrl: string | null;
  mongoUrl: string | null;
  mongoDb: string;
  kafkaBrokers: string[];
  kafkaTopic: string;
  /** idempotent Kafka producer; off only for brokers without it (librdkafka's mock cluster) */
  kafkaIdempotent: boolean;
  /** run projector, relay and deadline watcher in this process (off when lead-worker runs them) */
  backgroundWork: boolean;
  apiKeys: ApiKey[];
  /** true when the documented development tokens are in use */
  devTokens: boolean;
  mqlThreshold: number;
  slaAcceptWithinMinutes: number;
  mqlTargetPerMonth: number;
  slaBreachGraceSeconds: number;
  /** requests per minute per token (per IP when anonymous); 0 turns rate limiting off */
  rateLimitPerMinute: number;
  /** the largest POST /imports body, in bytes (streamed, never held whole) */
  importMaxBytes: number;
  /** worker threads answering as-of and what-if questions off the main event loop */
  asOfWorkers: number;
  /** as-of questions that may wait for a worker; beyond them a 503 `busy` */
  asOfQueue: number;
  /** as-of workers snapshot their replayed read models every this many lead events (0: never) */
  asOfSnapshotEvery: number;
  /** snapshot files kept in DATA_DIR/as-of-snapshots (the least recently used go first) */
  asOfSnapshotsKept: number;
  logLevel: LogLevel;
};

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

// Documented in the README; only ever active outside production when API_KEYS is unset.
export const devApiKeys: ApiKey[] = roles.map((role) => ({
  token: `dev-${role.replace('_', '-')}`,
  role,
  actorId: `${role}-dev`,
}));

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const production = env.NODE_ENV === 'production';
  const apiKeys = env.API_KEYS ? parseApiKeys(env.API_KEYS, { production }) : null;
  if (production && !apiKeys) {
    throw new ConfigError(
      'API_KEYS is required when NODE_ENV=production (entries token:role:actorId separated by ;)',
    );
  }
  return {
    production,
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: env.DATA_DIR || join(process.cwd(), 'data'),
    eventStoreUrl: env.EVENTSTORE_URL || null,
    mongoUrl: env.MONGO_URL || null,
    mongoDb: env.MONGO_DB || 'lead_lifecycle',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    kafkaTopic: env.KAFKA_TOPIC || 'lead-events',
    kafkaIdempotent: flag(env, 'KAFKA_IDEMPOTENT', true),
    backgroundWork: flag(env, 'BACKGROUND_WORK', true),
    apiKeys: apiKeys ?? devApiKeys,
    devTokens: !apiKeys,
    mqlThreshold: integer(env, 'MQL_THRESHOLD', 60, 1, 100),
    slaAcceptWithinMinutes: integer(env, 'SLA_ACCEPT_WITHIN_MINUTES', 1440, 1, 525_600),
    mqlTargetPerMonth: integer(env, 'MQL_TARGET_PER_MONTH', 100, 0, 10_000_000),
    slaBreachGraceSeconds: integer(env, 'SLA_BREACH_GRACE_SECONDS', 60, 0, 86_400),
    // generous: a bulk load through the API (seed-demo sends ~12,000 commands for 2,000 leads)
    // stays under it; it stops runaway clients and floods, not normal use
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 30_000, 0, 1_000_000),
    importMaxBytes: integer(env, 'IMPORT_MAX_BYTES', 1024 ** 3, 1, 64 * 1024 ** 3),
    // one replay at a time by default: each holds a replayed read store in memory
    asOfWorkers: integer(env, 'ASOF_WORKERS', 1, 1, 64),
    // a dashboard refresh at an as-of date asks thirteen questions at once, its what-if form two more
    asOfQueue: integer(env, 'ASOF_QUEUE', 16, 0, 1_000),
    // an as-of question then replays at most this many events after loading a snapshot
    asOfSnapshotEvery: integer(env, 'ASOF_SNAPSHOT_EVERY', 50_000, 0, 100_000_000),
    asOfSnapshotsKept: integer(env, 'ASOF_SNAPSHOTS_KEPT', 8, 1, 1_000),
    // tests stay quiet unless they ask for logs
    logLevel: oneOf(env, 'LOG_LEVEL', logLevels, env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
};

/** production tokens must be at least this long (guessing one must be hopeless) */
export const minProductionTokenLength = 32;
// what a client can send in `Authorization: Bearer <token>` (the guard accepts no more)
const sendableToken = /^[\x21-\x7e]{1,512}$/;

// Refuses at start what could never work or would work by accident: a token no client can send,
// a duplicate (the last entry would silently win), a short production token. Error messages name
// the entry's position, never the token.
export const parseApiKeys = (
  value: string,
  { production }: { production: boolean } = { production: false },
): ApiKey[] => {
  const keys = value
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [token, role, actorId, ...rest] = entry.split(':');
      if (!token || !actorId || rest.length > 0 || !roles.includes(role as Role)) {
        // never echo the entry: it holds a secret
        throw new ConfigError(
          `API_KEYS: each entry must be token:role:actorId with role one of ${roles.join(', ')}`,
        );
      }
      return { token, role: role as Role, actorId };
    });
  if (keys.length === 0) throw new ConfigError('API_KEYS is set but holds no entries');
  const seen = new Set<string>();
  keys.forEach(({ token }, index) => {
    const entry = `entry ${index + 1}`;
    if (!sendableToken.test(token))
      throw new ConfigError(
        `API_KEYS: the token of ${entry} must be 1 to 512 printable ASCII characters without spaces (no client could send it)`,
      );
    if (production && token.length < minProductionTokenLength)
      throw new ConfigError(
        `API_KEYS: the token of ${entry} must be at least ${minProductionTokenLength} characters when NODE_ENV=production`,
      );
    if (seen.has(token))
      throw new ConfigError(
        `API_KEYS: ${entry} repeats an earlier entry's token (duplicate token)`,
      );
    seen.add(token);
  });
  return keys;
};

const integer = (
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
};

const oneOf = <T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T => {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${env[name]}"`);
  }
  return raw as T;
};

const flag = (env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'on', 'yes'].includes(raw)) return true;
  if (['false', '0', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
};
