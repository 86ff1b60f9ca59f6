import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { CaptureLeadRequest } from './capture-lead.request';

export class CaptureLeadCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly request: CaptureLeadRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
