import { chainHash, genesisHash, verifyChain } from './audit-chain';
import type { RecordedEvent } from './event-store.port';

const claim = {
  eventId: '01900000-0000-7000-8000-000000000001',
  type: 'LeadCaptured',
  data: {
    leadId: 'lead-1',
    email: 'ada@example.com',
    source: { campaignId: 'c-1', channel: 'email' },
  },
  occurredAt: '2026-03-01T10:00:00.000Z',
  actor: { id: 'user-1', role: 'marketing' },
};

const eventId = (n: number): string => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;

// A valid stream of `count` events, chained the way a store chains them.
const chain = (count: number): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  let prevHash = genesisHash;
  for (let revision = 0; revision < count; revision += 1) {
    const metadata = {
      eventId: eventId(revision + 1),
      occurredAt: `2026-03-0${revision + 1}T10:00:00.000Z`,
      actor: { id: 'user-1', role: 'marketing' },
      correlationId: 'correlation-1',
      causationId: null,
      schemaVersion: 1,
    };
    const type = 'LeadEngaged';
    const data = { leadId: 'lead-1', campaignId: `c-${revision}` };
    const hash = chainHash(prevHash, { ...metadata, type, data });
    events.push({
      streamId: 'lead-1',
      revision,
      position: BigInt(revision + 10),
      type,
      data,
      metadata: { ...metadata, recordedAt: '2026-03-09T00:00:00.000Z', prevHash, hash },
    });
    prevHash = hash;
  }
  return events;
};

describe('chainHash', () => {
  it('is a SHA-256 hex digest', () => {
    expect(chainHash(genesisHash, claim)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    const reordered = {
      actor: { role: 'marketing', id: 'user-1' },
      occurredAt: claim.occurredAt,
      data: {
        source: { channel: 'email', campaignId: 'c-1' },
        email: 'ada@example.com',
        leadId: 'lead-1',
      },
      type: claim.type,
      eventId: claim.eventId,
    };

    expect(chainHash(genesisHash, reordered)).toBe(chainHash(genesisHash, claim));
  });

  it.each([
    ['type', { ...claim, type: 'LeadEngaged' }],
    ['data', { ...claim, data: { ...claim.data, email: 'eve@example.com' } }],
    [
      'nested data',
      { ...claim, data: { ...claim.data, source: { campaignId: 'c-2', channel: 'email' } } },
    ],
    ['actor', { ...claim, actor: { id: 'user-2', role: 'marketing' } }],
    ['actor role', { ...claim, actor: { id: 'user-1', role: 'admin' } }],
    ['eventId', { ...claim, eventId: eventId(2) }],
    ['occurredAt', { ...claim, occurredAt: '2026-03-01T10:00:00.001Z' }],
  ])('changes when %s changes', (_field, changed) => {
    expect(chainHash(genesisHash, changed)).not.toBe(chainHash(genesisHash, claim));
  });

  it('changes with the previous hash', () => {
    expect(chainHash('f'.repeat(64), claim)).not.toBe(chainHash(genesisHash, claim));
  });

  it('ignores store facts outside the claim, such as recordedAt', () => {
    const withStoreFacts = { ...claim, recordedAt: '2026-03-02T00:00:00.000Z', correlationId: 'x' };

    expect(chainHash(genesisHash, withStoreFacts)).toBe(chainHash(genesisHash, claim));
  });
});

describe('verifyChain', () => {
  it('accepts an empty stream and an intact one', () => {
    expect(verifyChain([])).toEqual({ valid: true });
    expect(verifyChain(chain(4))).toEqual({ valid: true });
  });

  it('reports an edited event at its revision', () => {
    const events = chain(4);
    events[2] = { ...events[2], data: { ...events[2].data, campaignId: 'forged' } };

    expect(verifyChain(events)).toEqual({
      valid: false,
      brokenAt: {
        revision: 2,
        eventId: eventId(3),
        reason: 'hash does not match the event content',
      },
    });
  });

  it('reports edited metadata inside the claim', () => {
    const events = chain(3);
    events[1] = {
      ...events[1],
      metadata: { ...events[1].metadata, actor: { id: 'user-9', role: 'admin' } },
    };

    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: { revision: 1 } });
  });

  it('reports the next event when an edit also recomputed the edited hash', () => {
    const events = chain(4);
    const forged = { ...events[1], data: { leadId: 'lead-1', campaignId: 'forged' } };
    const hash = chainHash(forged.metadata.prevHash, {
      ...forged.metadata,
      type: forged.type,
      data: forged.data,
    });
    events[1] = { ...forged, metadata: { ...forged.metadata, hash } };

    expect(verifyChain(events)).toEqual({
      valid: false,
      brokenAt: {
        revision: 2,
        eventId: eventId(3),
        reason: 'prevHash does not match the previous event',
      },
    });
  });

  it('reports a deleted event as a gap', () => {
    const events = chain(4);
    events.splice(1, 1);

    expect(verifyChain(events)).toEqual({
      valid: false,
      brokenAt: { revision: 1, eventId: eventId(3), reason: 'revision 1 is missing' },
    });
  });

  it('requires the first event to start from the genesis hash', () => {
    const events = chain(3)
      .slice(1)
      .map((event, index) => ({ ...event, revision: index }));

    expect(verifyChain(events)).toMatchObject({
      valid: false,
      brokenAt: { revision: 0, reason: 'prevHash does not match the previous event' },
    });
  });
});
