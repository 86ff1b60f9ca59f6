import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { HandOffLeadRequest } from './hand-off-lead.request';
import { HandOffLeadCommand } from './hand-off-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class HandOffLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/handoff')
  @HttpCode(200)
  @Authorized('marketing')
  @ApiLeadCommand({
    summary: 'Hand a lead off to sales',
    description:
      'Appends LeadHandedOff with the SLA policy in force and its dueAt; the sales response clock starts.',
    body: HandOffLeadRequest,
    status: 200,
    conflict:
      'lead_not_qualified: below the MQL threshold without override; invalid_transition: not handable in this stage; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async handOff(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: HandOffLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new HandOffLeadCommand(leadId, body, context)),
    );
  }
}
