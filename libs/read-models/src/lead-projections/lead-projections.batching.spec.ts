import type { LeadFact } from '@lead/domain';
import {
  InMemoryPersonalDataVault,
  PersonalDataEventStore,
  SqliteEventStore,
} from '@lead/event-store';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadHandoffSlaCorrected,
  leadLost,
  leadPersonalDataErased,
  leadProfileUpdated,
  leadQualifiedBySales,
  leadReassigned,
  leadRejected,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  leadScored,
  resetEventIds,
  salesActivityLogged,
  newEventOf,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { ProjectionRunner, projectionsCheckpoint, rebuild, replayInto } from '../projection-runner';
import { leadProjections } from './lead-projections';

const leadId = (n: number): string => `01943a4e-3c00-7000-8000-${String(n).padStart(12, '0')}`;

// Four kinds of life, so every branch of the lead projections runs: converted after sales
// qualified it; rejected, disputed, handed off again, breached, reassigned and lost; breached,
// corrected, accepted, profile updated and converted; profile updated, erased and lost.
const lifeOf = (n: number): LeadFact[] => {
  const id = leadId(n);
  const minute = (offset: number): string => at(n + offset);
  const opening = [
    leadCaptured({
      leadId: id,
      email: `lead-${n}@example.com`,
      name: `Lead ${n}`,
      title: `Head of ${n}`,
      source: { campaignId: `cmp-${n % 3}`, channel: 'webinar' },
      priorTouches: [{ campaignId: 'cmp-ads', channel: 'paid_search', occurredAt: minute(-60) }],
      occurredAt: minute(0),
    }),
    leadEngaged({ leadId: id, campaignId: `cmp-${n % 3}`, occurredAt: minute(5) }),
    leadEngaged({ leadId: id, campaignId: `cmp-${n % 5}`, occurredAt: minute(6) }),
    leadScored({ leadId: id, score: 60 + n, occurredAt: minute(10) }),
  ];
  const first = leadHandedOff({ leadId: id, toRep: `rep-${n % 3}`, occurredAt: minute(20) });
  const handoffEventId = first.metadata.eventId;
  switch (n % 4) {
    case 0:
      return [
        ...opening,
        first,
        leadAccepted({ leadId: id, handoffEventId, occurredAt: minute(30) }),
        salesActivityLogged({ leadId: id, handoffEventId, occurredAt: minute(35) }),
        leadQualifiedBySales({
          leadId: id,
          opportunityId: `opp-${n}`,
          estimatedAmount: 500 * n,
          currency: 'EUR',
          occurredAt: minute(40),
        }),
        leadConverted({ leadId: id, amount: 1_000 * n, currency: 'EUR', occurredAt: minute(50) }),
      ];
    case 1: {
      const second = leadHandedOff({ leadId: id, toRep: 'rep-9', occurredAt: minute(3_000) });
      const breach = leadHandoffSlaBreached({
        leadId: id,
        handoffEventId: second.metadata.eventId,
        dueAt: second.data.dueAt,
        occurredAt: minute(4_500),
      });
      return [
        ...opening,
        first,
        leadRejected({ leadId: id, handoffEventId, occurredAt: minute(30) }),
        leadRejectionDisputed({ leadId: id, handoffEventId, occurredAt: minute(40) }),
        leadRejectionDisputeResolved({ leadId: id, handoffEventId, occurredAt: minute(50) }),
        second,
        breach,
        leadReassigned({
          leadId: id,
          fromRep: 'rep-9',
          toRep: 'rep-2',
          previousHandoffEventId: second.metadata.eventId,
          breachEventId: breach.metadata.eventId,
          occurredAt: minute(4_510),
        }),
        leadLost({ leadId: id, occurredAt: minute(5_000) }),
      ];
    }
    case 2:
      return [
        ...opening,
        first,
        leadHandoffSlaBreached({ leadId: id, handoffEventId, occurredAt: minute(1_500) }),
        leadHandoffSlaCorrected({ leadId: id, handoffEventId, occurredAt: minute(1_510) }),
        leadAccepted({ leadId: id, handoffEventId, occurredAt: minute(1_520) }),
        leadProfileUpdated({
          leadId: id,
          title: 'CTO',
          company: 'Acme',
          occurredAt: minute(1_530),
        }),
        leadConverted({ leadId: id, amount: 700 * n, currency: 'USD', occurredAt: minute(1_540) }),
      ];
    default:
      return [
        ...opening,
        leadProfileUpdated({
          leadId: id,
          title: 'VP Sales',
          employees: 40,
          occurredAt: minute(15),
        }),
        leadPersonalDataErased({ leadId: id, occurredAt: minute(25) }),
        leadLost({ leadId: id, occurredAt: minute(30) }),
      ];
  }
};

// Every stored document as its JSON (key order included) by collection and id, and the checkpoint.
const storedDocuments = async (store: EmbeddedReadStore) => ({
  documents: Object.fromEntries(
    (
      await Promise.all(
        leadProjections.map(async ({ collection }) =>
          (await store.collection(collection).find()).map((doc) => [
            `${collection}/${doc._id}`,
            JSON.stringify(doc),
          ]),
        ),
      )
    )
      .flat()
      .sort(([a], [b]) => a.localeCompare(b)),
  ),
  checkpoint: await store.checkpoint(projectionsCheckpoint),
});

describe('lead projections in batches', () => {
  let log: SqliteEventStore;
  let eventStore: PersonalDataEventStore;
  const stores: EmbeddedReadStore[] = [];
  const newStore = (): EmbeddedReadStore => {
    const store = new EmbeddedReadStore({ path: ':memory:' });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    resetEventIds();
    let recorded = 0;
    log = new SqliteEventStore({
      path: ':memory:',
      clock: () => new Date(at(10_000 + ++recorded)),
    });
    eventStore = new PersonalDataEventStore(log, new InMemoryPersonalDataVault());
    // twelve leads whose lives interleave, so any batch cuts through several of them
    const lives = Array.from({ length: 12 }, (_, n) => lifeOf(n + 1));
    const steps = Math.max(...lives.map((life) => life.length));
    const revisions = new Map<string, number>();
    for (let step = 0; step < steps; step += 1) {
      for (const fact of lives.flatMap((life) => life[step] ?? [])) {
        const streamId = `lead-${fact.data.leadId}`;
        const revision = revisions.get(streamId);
        await eventStore.append(streamId, [newEventOf(fact)], revision ?? 'no_stream');
        revisions.set(streamId, (revision ?? -1) + 1);
      }
    }
    // the erased leads' keys are gone too, as after an erasure
    for (const n of [4, 8, 12]) await eventStore.erasePersonalData(`lead-${leadId(n)}`);
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await eventStore.close();
  });

  it('a catch-up in big batches, decrypting or not, stores the very documents one event at a time does', async () => {
    // one event at a time, read decrypted
    const events = await eventStore.readAll({ streamPrefix: 'lead-' });
    expect(events.length).toBeGreaterThan(100);
    expect(events.some((event) => event.data.email === 'lead-1@example.com')).toBe(true);
    const oneByOne = newStore();
    for (const event of events) await replayInto(oneByOne, [event], leadProjections);
    const expected = await storedDocuments(oneByOne);
    expect(Object.keys(expected.documents)).toHaveLength(12 + 12 + 1);

    // the lead projections read sealed; the same ones declaring otherwise read decrypted
    const revealing = leadProjections.map((projection) => ({
      ...projection,
      personalData: 'revealed' as const,
    }));
    for (const projections of [leadProjections, revealing]) {
      for (const batchSize of [7, 10_000]) {
        const rebuilt = newStore();
        await rebuild(rebuilt, eventStore, projections, { batchSize });
        expect(await storedDocuments(rebuilt)).toEqual(expected);
      }
      const caughtUp = newStore();
      const runner = new ProjectionRunner({ eventStore, readStore: caughtUp, projections });
      await runner.start();
      await runner.stop();
      expect(await storedDocuments(caughtUp)).toEqual(expected);
    }
  });
});
