import { DomainError, decide, foldLead, leadStream, noLeadPolicy } from '@lead/domain';
import { type EventStore, handleCommand } from '@lead/event-store';
import { type ReadStore, awaitsBreachAlert } from '@lead/read-models';
import { dueLeads } from './due-leads';
import { breachCutoffs, isBreachDue } from './sla-breach-rule';
import { PeriodicPass } from './periodic-pass';

export type DeadlineWatcherOptions = {
  eventStore: EventStore;
  readStore: ReadStore;
  now: () => Date;
  /** a recorded handoff waits this long before its alert, so a backfilled response can land */
  graceSeconds: number;
  onError?: (error: unknown) => void;
};

export const systemActor = { id: 'system', role: 'system' };

// An automation (it decides and appends, like a command handler): finds the handoffs the read
// model shows unanswered past their dueAt (`isBreachDue`) on leads still handed off and appends
// LeadHandoffSlaBreached once per handoff, a real-time alert for downstream consumers (SLA status
// itself is always computed from business times). The event id is derived from the handoff, so two watchers racing append
// it once.
export class SlaDeadlineWatcher {
  private readonly schedule: PeriodicPass;

  constructor(private readonly options: DeadlineWatcherOptions) {
    this.schedule = new PeriodicPass(() => this.pass(), options.onError);
  }

  /** checks every intervalMs until stopped */
  start(intervalMs: number): void {
    this.schedule.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.schedule.stop();
  }

  /** one pass; returns how many breach alerts it appended. Overlapping calls share one pass. */
  check(): Promise<number> {
    return this.schedule.check();
  }

  private async pass(): Promise<number> {
    const now = this.options.now();
    const cutoffs = breachCutoffs(now, this.options.graceSeconds);
    let appended = 0;
    for await (const lead of dueLeads(this.options.readStore, cutoffs.dueAt)) {
      for (const handoff of lead.handoffs) {
        if (!awaitsBreachAlert(handoff) || !isBreachDue(handoff, now, this.options.graceSeconds))
          continue;
        if (await this.alert(lead.leadId, handoff.handoffId, now.toISOString())) appended++;
      }
    }
    return appended;
  }

  private async alert(leadId: string, handoffEventId: string, now: string): Promise<boolean> {
    try {
      const result = await handleCommand(
        this.options.eventStore,
        leadStream(leadId),
        foldLead,
        (state) =>
          decide(
            { type: 'RecordSlaBreach', leadId, handoffEventId, occurredAt: now, now },
            state,
            // the deadline was stamped into the handoff when it was decided
            noLeadPolicy,
          ),
        {
          actor: systemActor,
          correlationId: handoffEventId,
          causationId: handoffEventId,
          occurredAt: now,
          idempotencyKey: `sla-breach\n${handoffEventId}`,
        },
      );
      return !result.replayed;
    } catch (error) {
      // answered or closed since the read model was built: nothing to alert
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}
