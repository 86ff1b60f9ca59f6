import {
  DomainError,
  decide,
  foldLead,
  isLiveBreach,
  leadStream,
  noLeadPolicy,
  responseBreachRemedies,
} from '@lead/domain';
import { type EventStore, handleCommand } from '@lead/event-store';
import type { HandoffDoc, LeadSummaryDoc, ReadStore } from '@lead/read-models';
import { systemActor } from './sla-deadline-watcher';
import { PeriodicPass } from './periodic-pass';

export type RemedyRunnerOptions = {
  eventStore: EventStore;
  readStore: ReadStore;
  now: () => Date;
  onError?: (error: unknown) => void;
};

type Unremedied = Pick<HandoffDoc, 'handoffId' | 'dueAt' | 'recordedAt'> & {
  leadId: string;
  breachEventId: string;
};

// An automation (it decides and appends, like a command handler): finds the breach alerts the read
// model shows unanswered and without a remedy, whose handoff's stamped terms ask for one, and
// appends that remedy (the decider picks it from those terms) once per breach, for live breaches
// only (`isLiveBreach`) of leads still handed off. The event id is derived from the breach, so
// racing runners and a rerun after a crash append it once; the domain refuses it once the lead no
// longer waits on the handoff.
export class SlaRemedyRunner {
  private readonly schedule: PeriodicPass;

  constructor(private readonly options: RemedyRunnerOptions) {
    this.schedule = new PeriodicPass(() => this.pass(), options.onError);
  }

  /** checks every intervalMs until stopped */
  start(intervalMs: number): void {
    this.schedule.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.schedule.stop();
  }

  /** one pass; returns how many remedies it appended. Overlapping calls share one pass. */
  check(): Promise<number> {
    return this.schedule.check();
  }

  private async pass(): Promise<number> {
    const now = this.options.now().toISOString();
    const unremedied = await this.options.readStore
      .collection<LeadSummaryDoc>('leads')
      .aggregate<Unremedied>([
        // through its index: only the leads with a handoff awaiting an automation (a breach is
        // alerted at or after its deadline, so a breached handoff's lead is due by now)
        { $match: { automationDueAt: { $lte: now } } },
        { $unwind: '$handoffs' },
        {
          $match: {
            'handoffs.response': null,
            'handoffs.breachEventId': { $ne: null },
            'handoffs.remedy': null,
            'handoffs.slaPolicy.remedy.onResponseBreach': { $in: [...responseBreachRemedies] },
          },
        },
        {
          $project: {
            _id: 0,
            leadId: 1,
            handoffId: '$handoffs.handoffId',
            breachEventId: '$handoffs.breachEventId',
            dueAt: '$handoffs.dueAt',
            recordedAt: '$handoffs.recordedAt',
          },
        },
      ]);
    let appended = 0;
    for (const breach of unremedied.filter(isLiveBreach)) {
      if (await this.remedy(breach, now)) appended++;
    }
    return appended;
  }

  private async remedy(
    { leadId, handoffId, breachEventId }: Unremedied,
    now: string,
  ): Promise<boolean> {
    try {
      const result = await handleCommand(
        this.options.eventStore,
        leadStream(leadId),
        foldLead,
        (state) =>
          decide(
            {
              type: 'RemedySlaBreach',
              leadId,
              handoffEventId: handoffId,
              breachEventId,
              occurredAt: now,
              now,
            },
            state,
            // the remedy was stamped into the handoff when it was decided
            noLeadPolicy,
          ),
        {
          actor: systemActor,
          correlationId: handoffId,
          causationId: breachEventId,
          occurredAt: now,
          idempotencyKey: `sla-remedy\n${breachEventId}`,
        },
      );
      return !result.replayed;
    } catch (error) {
      // answered, closed or remedied since the read model was built: nothing to remedy
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}
