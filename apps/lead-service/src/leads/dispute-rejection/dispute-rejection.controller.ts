import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { ApiHandoffIdParam, HandoffIdPipe } from '../shared/handoff-id.pipe';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { DisputeRejectionRequest } from './dispute-rejection.request';
import { DisputeRejectionCommand } from './dispute-rejection.command';

@ApiTags('lead commands')
@Controller('leads')
export class DisputeRejectionController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/rejections/:handoffId/dispute')
  @HttpCode(200)
  @Authorized('marketing')
  @ApiHandoffIdParam()
  @ApiLeadCommand({
    summary: "Dispute sales' rejection of a handoff (marketing)",
    description:
      'Appends LeadRejectionDisputed with the reason; a sales manager then rules on it (POST .../resolve). Once per rejected handoff, also on a lead handed off again or closed since.',
    body: DisputeRejectionRequest,
    status: 200,
    conflict:
      'handoff_not_rejected: the handoff was not rejected; rejection_already_disputed: it was disputed already; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before the rejection. 404 handoff_not_found: the lead has no such handoff.',
  })
  async dispute(
    @Param('id', LeadIdPipe) leadId: string,
    @Param('handoffId', HandoffIdPipe) handoffEventId: string,
    @Body() body: DisputeRejectionRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(
        new DisputeRejectionCommand(leadId, handoffEventId, body, context),
      ),
    );
  }
}
