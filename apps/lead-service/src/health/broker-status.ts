import type { EventPublisher } from '@lead/messaging';

export type PublishOutcome = { ok: true; at: string } | { ok: false; at: string; error: string };

// The outcome of the relay's last publish, for readiness. Only `publish` is wrapped, on the
// instance, so the publisher port can grow without this file changing.
export class BrokerStatus {
  private last: PublishOutcome | null = null;

  constructor(private readonly now: () => Date) {}

  watch(publisher: EventPublisher | null): EventPublisher | null {
    if (!publisher) return null;
    const publish = publisher.publish.bind(publisher);
    publisher.publish = async (events) => {
      try {
        await publish(events);
        this.last = { ok: true, at: this.now().toISOString() };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.last = { ok: false, at: this.now().toISOString(), error: message };
        throw error;
      }
    };
    return publisher;
  }

  /** null until the relay has tried to publish */
  lastPublish(): PublishOutcome | null {
    return this.last;
  }
}
