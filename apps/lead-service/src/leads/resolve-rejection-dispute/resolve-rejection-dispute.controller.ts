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
import { ResolveRejectionDisputeRequest } from './resolve-rejection-dispute.request';
import { ResolveRejectionDisputeCommand } from './resolve-rejection-dispute.command';

@ApiTags('lead commands')
@Controller('leads')
export class ResolveRejectionDisputeController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/rejections/:handoffId/resolve')
  @HttpCode(200)
  @Authorized('sales_manager')
  @ApiHandoffIdParam()
  @ApiLeadCommand({
    summary: 'Rule on a disputed rejection (sales manager)',
    description:
      'Appends LeadRejectionDisputeResolved: upheld (the rejection stands) or overturned (a wrongful rejection: it no longer counts against marketing and counts against the rep). Once per dispute.',
    body: ResolveRejectionDisputeRequest,
    status: 200,
    conflict:
      'rejection_not_disputed: there is no dispute to rule on; rejection_dispute_already_resolved: it was ruled on already; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before the dispute. 404 handoff_not_found: the lead has no such handoff.',
  })
  async resolve(
    @Param('id', LeadIdPipe) leadId: string,
    @Param('handoffId', HandoffIdPipe) handoffEventId: string,
    @Body() body: ResolveRejectionDisputeRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(
        new ResolveRejectionDisputeCommand(leadId, handoffEventId, body, context),
      ),
    );
  }
}
