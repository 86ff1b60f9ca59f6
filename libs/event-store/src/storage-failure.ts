// The one place that decides whether an error means "the storage cannot take writes right now"
// (a full or read-only disk, an I/O error, a lock held past the busy timeout, a server that does
// not answer) as opposed to a bug or a bad request. Such a failure is worth retrying later: the
// write side answers 503 and the projector backs off and tries again.
//
// By code and name, not by class: the drivers' error classes differ per realm under jest, and the
// libs must not import drivers outside their adapters.

// SQLite primary result codes; extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_TIMEOUT, …) start with these
const sqliteStorageCodes = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_LOCKED',
];
const mongoStorageNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoOperationTimeoutError',
  'MongoWriteConcernError',
]);
const esdbStorageTypes = new Set(['unavailable', 'deadline-exceeded', 'timeout', 'not-leader']);
// Node's own errors for a full or read-only disk (e.g. a file store)
const systemStorageCodes = new Set(['ENOSPC', 'EROFS', 'EIO', 'EDQUOT']);

type Described = { code?: unknown; name?: unknown; type?: unknown };

export const isStorageFailure = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, type } = error as Described;
  if (typeof code === 'string') {
    if (sqliteStorageCodes.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)))
      return true;
    if (systemStorageCodes.has(code)) return true;
  }
  if (typeof name === 'string' && mongoStorageNames.has(name)) return true;
  return typeof type === 'string' && esdbStorageTypes.has(type);
};

/** "SQLITE_FULL: database or disk is full", for readiness and logs (never a stack) */
export const describeFailure = (error: unknown): string => {
  // duck-typed: a driver's error may come from another realm (jest), failing instanceof Error
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (typeof message !== 'string') return String(error);
  return typeof code === 'string' && !message.startsWith(code) ? `${code}: ${message}` : message;
};
