import { v7 as uuidv7 } from 'uuid';
import { redactConnectionString } from './adapter-rules';
import { EsdbEventStore } from './esdb-event-store';
import { eventStoreContract } from './event-store.contract';
import type { NewEvent } from './event-store.port';

// Needs a running EventStoreDB (docker/docker-compose.yml), e.g.
// EVENTSTORE_URL='esdb://localhost:2113?tls=false' npm run test:integration
const url = process.env.EVENTSTORE_URL ?? '';
const describeIfEsdb = url ? describe : describe.skip;

const checked = (): NewEvent => ({
  type: 'IntegrationChecked',
  data: { ok: true },
  metadata: {
    eventId: uuidv7(),
    occurredAt: '2026-01-05T09:00:00.000Z',
    actor: { id: 'int-spec', role: 'admin' },
    correlationId: 'int-spec',
    causationId: null,
    schemaVersion: 1,
  },
});

describeIfEsdb(
  url
    ? `EsdbEventStore against ${redactConnectionString(url)}`
    : 'EsdbEventStore (skipped: EVENTSTORE_URL is not set, so there is no EventStoreDB to run against)',
  () => {
    eventStoreContract('EsdbEventStore', () => EsdbEventStore.connect(url));

    // The adapter trusts the server's append position for single events and reads back the
    // last event for batches: both must name the event's position in $all.
    it('returns append positions that stream and $all reads agree with', async () => {
      const store = await EsdbEventStore.connect(url);
      try {
        const streamId = `int-${uuidv7()}`;
        const head = await store.headPosition();
        const single = await store.append(streamId, [checked()], 'no_stream');
        const batch = await store.append(streamId, [checked(), checked(), checked()], 0);

        const viaStream = await store.readStream(streamId);
        const viaAll = await store.readAll({ after: head, streamPrefix: streamId });

        expect(viaStream.map((event) => event.position)).toEqual(
          viaAll.map((event) => event.position),
        );
        expect(single.position).toBe(viaStream[0].position);
        expect(batch.position).toBe(viaStream[3].position);
      } finally {
        await store.close();
      }
    });
  },
);
