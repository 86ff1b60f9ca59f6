import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { AcceptLeadRequest } from './accept-lead.request';
import { AcceptLeadCommand } from './accept-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class AcceptLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/accept')
  @HttpCode(200)
  @Authorized('sales')
  @ApiLeadCommand({
    summary: 'Accept a handed-off lead',
    description:
      'Appends LeadAccepted by the calling sales rep; this is the response the SLA measures. The body may be omitted.',
    body: AcceptLeadRequest,
    status: 200,
    optionalBody: true,
    conflict:
      'invalid_transition / handoff_not_pending: the lead is not waiting for a response; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async accept(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: AcceptLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new AcceptLeadCommand(leadId, body, context)),
    );
  }
}
