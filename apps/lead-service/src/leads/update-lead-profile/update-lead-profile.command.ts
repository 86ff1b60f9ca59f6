import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { UpdateLeadProfileRequest } from './update-lead-profile.request';

export class UpdateLeadProfileCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: UpdateLeadProfileRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
