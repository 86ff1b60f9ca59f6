import { agreementStream } from '@lead/domain';
import { foundingTerms } from '@lead/testing';
import { SqliteEventStore } from '@lead/event-store';
import { loadConfig } from '@lead/runtime';
import { AppSettings, type Clock } from '../config/app-settings';
import type { CommandContext } from '../leads/shared/command-context';
import { AgreementBook } from './agreement-book';

const clock: Clock = { now: () => new Date('2026-03-02T09:00:00.000Z') };
const settings = new AppSettings(loadConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/unused' }));
const as = (id: string, role: string): CommandContext => ({
  actor: { id, role },
  correlationId: `corr-${id}`,
});

// AgreementBook keeps the agreement folded and reads only what was appended since, on each call.
describe('AgreementBook', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('two books over one store (two processes): a signature through one is seen by the other', async () => {
    const mine = new AgreementBook(store, settings, clock);
    const theirs = new AgreementBook(store, settings, clock);
    const proposal = {
      type: 'ProposeAgreement' as const,
      effectiveFrom: '2026-03-03T00:00:00Z',
      terms: { ...foundingTerms(), qualification: { mqlThreshold: 75 } },
    };
    await mine.run(proposal, as('mm-1', 'marketing_manager'));
    expect((await theirs.state()).versions.map((v) => v.status)).toEqual(['approved', 'proposed']);

    await theirs.run({ type: 'SignAgreement', version: 2, team: 'marketing' }, as('mm-1', 'x'));
    await theirs.run({ type: 'SignAgreement', version: 2, team: 'sales' }, as('sm-1', 'x'));

    expect((await mine.state()).versions[1].status).toBe('approved');
    expect((await mine.inForceAt('2026-03-04T00:00:00Z'))?.version).toBe(2);
  });

  it('reads only the events after the revision it folded to', async () => {
    const book = new AgreementBook(store, settings, clock);
    await book.state(); // founds version 1: its three events
    const reads = jest.spyOn(store, 'readStream');

    await book.state();
    await book.state();

    expect(reads.mock.calls).toEqual([
      [agreementStream, { fromRevision: 3 }],
      [agreementStream, { fromRevision: 3 }],
    ]);
    reads.mockRestore();
  });
});
