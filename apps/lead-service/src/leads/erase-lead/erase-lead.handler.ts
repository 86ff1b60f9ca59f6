import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type LeadCommand, decide, foldLead, leadStream, noLeadPolicy } from '@lead/domain';
import { EventStore, PersonalDataVault, erasePersonalData } from '@lead/event-store';
import { Clock } from '../../config/app-settings';
import { AnalyticsSource } from '../../read-side/analytics-source';
import {
  type LeadCommandResponse,
  leadCommandOptions,
  leadCommandResponse,
} from '../shared/lead-command-runner';
import { EraseLeadCommand } from './erase-lead.command';

@CommandHandler(EraseLeadCommand)
export class EraseLeadHandler implements ICommandHandler<EraseLeadCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly source: AnalyticsSource,
  ) {}

  async execute({ leadId, context }: EraseLeadCommand): Promise<LeadCommandResponse> {
    // an administrative act: dated when it is recorded
    const now = this.clock.now().toISOString();
    const command: LeadCommand = { type: 'EraseLeadPersonalData', leadId, now, occurredAt: now };
    const result = await erasePersonalData(
      this.store,
      this.vault,
      {
        subjectId: leadId,
        streamId: leadStream(leadId),
        fold: foldLead,
        decide: (state) => decide(command, state, noLeadPolicy),
        erasedEventType: 'LeadPersonalDataErased',
      },
      leadCommandOptions(command, context),
    );
    // cached as-of replays and snapshots hold ciphertext only, but nothing of the lead should
    // outlive the key, and a replay from 0 now reads the lead as erased
    await this.source.forgetReplays(result.position);
    return leadCommandResponse(leadId, result);
  }
}
