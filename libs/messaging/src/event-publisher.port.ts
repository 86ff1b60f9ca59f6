import type { RecordedEvent } from '@lead/event-store';

// The relay's sink (abstract class = Nest DI token).
export abstract class EventPublisher {
  /** resolves only once the broker has acknowledged every event; rejects if any was not */
  abstract publish(events: RecordedEvent[]): Promise<void>;
  abstract close(): Promise<void>;
}
