import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { ApiHandoffIdParam, HandoffIdPipe } from '../shared/handoff-id.pipe';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { CorrectHandoffSlaCommand } from './correct-handoff-sla.command';
import { CorrectHandoffSlaRequest } from './correct-handoff-sla.request';

@ApiTags('lead commands')
@Controller('leads')
export class CorrectHandoffSlaController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/handoffs/:handoffId/sla-correction')
  @HttpCode(200)
  @Authorized('admin')
  @ApiHandoffIdParam()
  @ApiLeadCommand({
    summary: "Correct a handoff's SLA verdict (admin)",
    description:
      "Appends LeadHandoffSlaCorrected with the verdict (met or breached), the reason and the calling admin. It is the only way to change a verdict the system computed: a response recorded after the handoff's breach alert stays breached whatever occurredAt it claims. The SLA row then shows the corrected status and correction {verdict, reason, by, at}. Allowed once the handoff has a verdict (answered, or unanswered past its dueAt), also on a closed lead; a later correction replaces an earlier one.",
    body: CorrectHandoffSlaRequest,
    status: 200,
    conflict:
      'handoff_not_decided: the handoff is unanswered and not yet due, so it has no verdict; revision_conflict: If-Match is stale. 404 handoff_not_found: the lead has no such handoff.',
  })
  async correct(
    @Param('id', LeadIdPipe) leadId: string,
    @Param('handoffId', HandoffIdPipe) handoffEventId: string,
    @Body() body: CorrectHandoffSlaRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(
        new CorrectHandoffSlaCommand(leadId, handoffEventId, body, context),
      ),
    );
  }
}
