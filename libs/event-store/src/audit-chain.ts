import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import type { Actor, RecordedEvent } from './event-store.port';

export const genesisHash = '0'.repeat(64);

type Chained = { eventId: string; type: string; data: unknown; occurredAt: string; actor: Actor };

// SHA-256 over prevHash + canonical JSON of the fields that must never change. recordedAt and
// positions are store facts, not part of the claim; data is hashed as stored, so erasing
// personal data (destroying its key) leaves the chain intact.
export const chainHash = (prevHash: string, event: Chained): string =>
  createHash('sha256')
    .update(prevHash)
    .update(
      stableStringify({
        eventId: event.eventId,
        type: event.type,
        data: event.data,
        occurredAt: event.occurredAt,
        actor: event.actor,
      }),
    )
    .digest('hex');

export type ChainVerdict =
  | { valid: true }
  | { valid: false; brokenAt: { revision: number; eventId: string | null; reason: string } };

// A stream's chain: revisions 0..n-1 without gaps, each prevHash the previous hash, each hash
// recomputed from the event. Editing an event breaks its hash; deleting one breaks the link.
export const verifyChain = (events: readonly RecordedEvent[]): ChainVerdict => {
  let prevHash = genesisHash;
  for (const [index, event] of events.entries()) {
    const { metadata } = event;
    const broken = (reason: string): ChainVerdict => ({
      valid: false,
      brokenAt: { revision: index, eventId: metadata.eventId ?? null, reason },
    });
    if (event.revision !== index) return broken(`revision ${index} is missing`);
    if (metadata.prevHash !== prevHash) return broken('prevHash does not match the previous event');
    // the stored form: decrypting or erasing personal fields on read must not look like tampering
    const data = event.storedData ?? event.data;
    const expected = chainHash(prevHash, { ...metadata, type: event.type, data });
    if (metadata.hash !== expected) return broken('hash does not match the event content');
    prevHash = metadata.hash;
  }
  return { valid: true };
};
