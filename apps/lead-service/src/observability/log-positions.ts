import { Injectable } from '@nestjs/common';
import { agreementStream, leadStreamPrefix } from '@lead/domain';
import { EventStore } from '@lead/event-store';
import {
  type ProjectorHealth,
  ReadStore,
  leadProjections,
  projectionsCheckpoint,
} from '@lead/read-models';
import { BackgroundWork } from '@lead/runtime';
import { AppSettings } from '../config/app-settings';

export const relayCheckpoint = 'relay';
export const deadLettersCollection = 'dead_letters';
export const projectionNames = leadProjections.map((projection) => projection.name);

// Where the followers of the log stand, for metrics and readiness. With BACKGROUND_WORK=false
// (lead-worker follows the log) the checkpoints in the shared read store are the truth.
@Injectable()
export class LogPositions {
  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly background: BackgroundWork,
    private readonly settings: AppSettings,
  ) {}

  head(): Promise<bigint> {
    return this.eventStore.headPosition();
  }

  /** all lead projections share one runner and one checkpoint */
  async projections(): Promise<bigint> {
    if (this.settings.config.backgroundWork) return this.background.projector.position();
    return (await this.readStore.checkpoint(projectionsCheckpoint)) ?? 0n;
  }

  /** null when lead-worker runs the projector (BACKGROUND_WORK=false): its health is there */
  projectorHealth(): ProjectorHealth | null {
    return this.settings.config.backgroundWork ? this.background.projector.health() : null;
  }

  /** failed attempts at storing a projection batch, null when the projector runs elsewhere */
  projectionWriteFailures(): number | null {
    return this.settings.config.backgroundWork ? this.background.projector.writeFailures() : null;
  }

  relayConfigured(): boolean {
    return this.settings.config.kafkaBrokers.length > 0;
  }

  /** null when the relay is off (KAFKA_BROKERS unset) */
  async relay(): Promise<bigint | null> {
    if (!this.relayConfigured()) return null;
    const inProcess = this.settings.config.backgroundWork ? this.background.relay : null;
    if (inProcess) return inProcess.position();
    return (await this.readStore.checkpoint(relayCheckpoint)) ?? 0n;
  }

  /**
   * Whether an event the follower handles comes after `position`: the projector follows the lead
   * streams, the relay also publishes the agreement stream. The head alone cannot tell: in
   * EventStoreDB it also counts system events that no follower ever sees.
   */
  async eventsAfter(position: bigint, follower: 'projections' | 'relay'): Promise<boolean> {
    const prefixes =
      follower === 'projections' ? [leadStreamPrefix] : [leadStreamPrefix, agreementStream];
    const found = await Promise.all(
      prefixes.map((streamPrefix) =>
        this.eventStore.readAll({ after: position, streamPrefix, limit: 1 }),
      ),
    );
    return found.some((events) => events.length > 0);
  }

  /** events a projection could not apply, parked with their error */
  parkedEvents(): Promise<number> {
    return this.readStore.collection(deadLettersCollection).count();
  }
}
