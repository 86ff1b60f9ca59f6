import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { CorrectHandoffSlaRequest } from './correct-handoff-sla.request';

export class CorrectHandoffSlaCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly handoffEventId: string,
    readonly request: CorrectHandoffSlaRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
