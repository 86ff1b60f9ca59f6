import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { RejectLeadRequest } from './reject-lead.request';
import { RejectLeadCommand } from './reject-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class RejectLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/reject')
  @HttpCode(200)
  @Authorized('sales')
  @ApiLeadCommand({
    summary: 'Reject a handed-off lead',
    description:
      'Appends LeadRejected; the lead goes back to nurturing and may be handed off again.',
    body: RejectLeadRequest,
    status: 200,
    conflict:
      'invalid_transition / handoff_not_pending: the lead is not waiting for a response; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async reject(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: RejectLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new RejectLeadCommand(leadId, body, context)),
    );
  }
}
