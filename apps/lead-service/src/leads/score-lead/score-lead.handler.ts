import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { ScoreLeadCommand } from './score-lead.command';

@CommandHandler(ScoreLeadCommand)
export class ScoreLeadHandler implements ICommandHandler<ScoreLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ leadId, request, context }: ScoreLeadCommand): Promise<LeadCommandResponse> {
    return this.leads.run(
      {
        type: 'ScoreLead',
        leadId,
        ...request,
        reasons: request.reasons ?? [],
      },
      context,
    );
  }
}
