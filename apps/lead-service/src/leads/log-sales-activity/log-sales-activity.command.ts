import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../shared/command-context';
import type { LeadCommandResponse } from '../shared/lead-command-runner';
import type { LogSalesActivityRequest } from './log-sales-activity.request';

export class LogSalesActivityCommand extends Command<LeadCommandResponse> {
  constructor(
    readonly leadId: string,
    readonly request: LogSalesActivityRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}
