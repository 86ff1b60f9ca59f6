import { describeFailure, isStorageFailure } from './storage-failure';

const failure = (props: Record<string, unknown>, message = 'failed'): Error =>
  Object.assign(new Error(message), props);

describe('isStorageFailure', () => {
  it.each([
    ['SQLite full disk', failure({ code: 'SQLITE_FULL' })],
    ['SQLite I/O error (extended code)', failure({ code: 'SQLITE_IOERR_WRITE' })],
    ['SQLite read-only file', failure({ code: 'SQLITE_READONLY' })],
    ['SQLite busy timeout', failure({ code: 'SQLITE_BUSY' })],
    ['a full disk for a plain file', failure({ code: 'ENOSPC' })],
    ['MongoDB network error', failure({ name: 'MongoNetworkError' })],
    ['MongoDB without a server', failure({ name: 'MongoServerSelectionError' })],
    ['EventStoreDB unavailable', failure({ type: 'unavailable' })],
    ['EventStoreDB deadline', failure({ type: 'deadline-exceeded' })],
  ])('%s is a storage failure', (_, error) => {
    expect(isStorageFailure(error)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    ['a unique violation', failure({ code: 'SQLITE_CONSTRAINT_UNIQUE' })],
    ['an ESDB wrong expected version', failure({ type: 'wrong-expected-version' })],
    ['a MongoDB server error', failure({ name: 'MongoServerError', code: 11000 })],
    ['not an error', 'SQLITE_FULL'],
    ['nothing', null],
  ])('%s is not', (_, error) => {
    expect(isStorageFailure(error)).toBe(false);
  });

  it('describes a failure by its code and message', () => {
    expect(describeFailure(failure({ code: 'SQLITE_FULL' }, 'database or disk is full'))).toBe(
      'SQLITE_FULL: database or disk is full',
    );
    expect(describeFailure(new Error('gone'))).toBe('gone');
    // a driver error from another realm is not instanceof this realm's Error
    expect(describeFailure({ code: 'SQLITE_FULL', message: 'database or disk is full' })).toBe(
      'SQLITE_FULL: database or disk is full',
    );
  });
});
