import type { RecordedEvent } from '@lead/event-store';
import type { Projection } from '../projection';

// The last event the read models have seen, so every answer can say what it is based on.
export type LogHeadDoc = { _id: 'head'; position: string; recordedAt: string };

export const logHeadProjection: Projection<LogHeadDoc> = {
  name: 'log-head',
  version: 1,
  collection: 'log_head',
  personalData: 'sealed',
  documentId: () => 'head',
  apply: (_doc, event: RecordedEvent) => ({
    _id: 'head',
    position: event.position.toString(),
    recordedAt: event.metadata.recordedAt,
  }),
};
