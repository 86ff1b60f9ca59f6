import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { QualifyLeadRequest } from './qualify-lead.request';
import { QualifyLeadCommand } from './qualify-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class QualifyLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/qualify')
  @HttpCode(200)
  @Authorized('sales')
  @ApiLeadCommand({
    summary: 'Qualify an accepted lead as a sales opportunity (SQL)',
    description:
      'Appends LeadQualifiedBySales with the opportunity and an optional estimate (integer minor units with its currency); the lead moves to stage sql, from which it converts or is lost.',
    body: QualifyLeadRequest,
    status: 200,
    conflict:
      'invalid_transition: only an accepted lead is qualified; lead_already_sql: it was qualified already; lead_closed: it is converted or lost; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before the acceptance.',
  })
  async qualify(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: QualifyLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new QualifyLeadCommand(leadId, body, context)),
    );
  }
}
