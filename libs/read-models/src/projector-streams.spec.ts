import { type AgreementFact, agreementStream, leadStream, type LeadFact } from '@lead/domain';
import { type NewEvent, SqliteEventStore } from '@lead/event-store';
import {
  agreementApproved,
  agreementProposed,
  leadHistory,
  resetEventIds,
  testActor,
} from '@lead/testing';
import { deadLettersCollection } from './dead-letters';
import { EmbeddedReadStore } from './embedded-read-store';
import { leadProjections } from './lead-projections/lead-projections';
import { ProjectionRunner, projectionsCheckpoint, replayInto } from './projection-runner';

// The log also holds the agreement stream (DESIGN §10), folded on read and relayed to Kafka but
// never projected: the projector follows the lead streams only, so agreement events interleaved
// with lead events change no read model and park nothing.

const clock = () => new Date('2026-01-05T12:00:00.000Z');
const leadA = '01943a4e-3c00-7000-8000-00000000000a';
const leadB = '01943a4e-3c00-7000-8000-00000000000b';

const asNew = ({ type, data, metadata }: LeadFact | AgreementFact): NewEvent => ({
  type,
  data: { ...data },
  metadata: {
    eventId: metadata.eventId,
    occurredAt: metadata.occurredAt,
    actor: testActor,
    correlationId: metadata.eventId,
    causationId: null,
    schemaVersion: 1,
  },
});

describe('the projector and the agreement stream', () => {
  it('projects the lead streams only: the same documents as the lead events alone', async () => {
    resetEventIds();
    const events = new SqliteEventStore({ path: ':memory:', clock });
    const live = new EmbeddedReadStore({ path: ':memory:' });
    const expected = new EmbeddedReadStore({ path: ':memory:' });
    const runner = new ProjectionRunner({
      readStore: live,
      eventStore: events,
      projections: leadProjections,
    });
    try {
      await events.append(agreementStream, agreementApproved().map(asNew), 'no_stream');
      await events.append(
        leadStream(leadA),
        leadHistory('converted', leadA).map(asNew),
        'no_stream',
      );
      await events.append(agreementStream, [asNew(agreementProposed({ version: 2 }))], 2);
      await events.append(leadStream(leadB), leadHistory('mql', leadB).map(asNew), 'no_stream');
      await events.append(agreementStream, [asNew(agreementProposed({ version: 3 }))], 3);

      await runner.start();
      const leadEvents = await events.readAll({ streamPrefix: 'lead-' });
      await replayInto(expected, leadEvents, leadProjections);

      expect(await live.checkpoint(projectionsCheckpoint)).toBe(leadEvents.at(-1)!.position);
      expect(await live.collection(deadLettersCollection).count()).toBe(0);
      for (const { collection } of leadProjections) {
        const all = (store: EmbeddedReadStore) =>
          store.collection(collection).find({}, { sort: { _id: 1 } });
        expect({ collection, docs: await all(live) }).toEqual({
          collection,
          docs: await all(expected),
        });
      }
      expect(await live.collection('leads').count()).toBe(2);
    } finally {
      await runner.stop();
      await events.close();
      await live.close();
      await expected.close();
    }
  });
});
