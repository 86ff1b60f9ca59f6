import { DomainError, decide, foldLead, leadStream, noLeadPolicy } from '@lead/domain';
import { type EventStore, handleCommand } from '@lead/event-store';
import { type ReadStore, awaitsRemedy } from '@lead/read-models';
import { dueLeads } from './due-leads';
import { systemActor } from './sla-deadline-watcher';
import { PeriodicPass } from './periodic-pass';

export type RemedyRunnerOptions = {
  eventStore: EventStore;
  readStore: ReadStore;
  now: () => Date;
  onError?: (error: unknown) => void;
};

type Unremedied = { leadId: string; handoffId: string; breachEventId: string };

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
    let appended = 0;
    for await (const lead of dueLeads(this.options.readStore, now)) {
      for (const handoff of lead.handoffs) {
        if (!awaitsRemedy(handoff)) continue;
        const { handoffId, breachEventId } = handoff;
        const breach = { leadId: lead.leadId, handoffId, breachEventId };
        if (await this.remedy(breach, now)) appended++;
      }
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
