import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { LogSalesActivityCommand } from './log-sales-activity.command';

@CommandHandler(LogSalesActivityCommand)
export class LogSalesActivityHandler implements ICommandHandler<LogSalesActivityCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: LogSalesActivityCommand): Promise<LeadCommandResponse> {
    return this.leads.run({ type: 'LogSalesActivity', leadId, ...request }, context);
  }
}
