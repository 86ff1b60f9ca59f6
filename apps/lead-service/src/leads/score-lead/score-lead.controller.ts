import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { ScoreLeadRequest } from './score-lead.request';
import { ScoreLeadCommand } from './score-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class ScoreLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/score')
  @HttpCode(200)
  @Authorized('marketing')
  @ApiLeadCommand({
    summary: 'Score a lead',
    description: 'Appends LeadScored; a score at or above the MQL threshold makes the lead an MQL.',
    body: ScoreLeadRequest,
    status: 200,
    conflict:
      'lead_closed: the lead is converted or lost; score_is_computed: the agreement in force scores by its rules; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async score(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: ScoreLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new ScoreLeadCommand(leadId, body, context)),
    );
  }
}
