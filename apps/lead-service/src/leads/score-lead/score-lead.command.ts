import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { ScoreLeadRequest } from './score-lead.request';

export class ScoreLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: ScoreLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
