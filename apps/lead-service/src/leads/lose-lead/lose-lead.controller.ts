import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { LoseLeadRequest } from './lose-lead.request';
import { LoseLeadCommand } from './lose-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class LoseLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/lose')
  @HttpCode(200)
  @Authorized('marketing', 'sales')
  @ApiLeadCommand({
    summary: 'Mark a lead lost',
    description: 'Appends LeadLost; lost is terminal.',
    body: LoseLeadRequest,
    status: 200,
    conflict:
      'lead_closed: the lead is already converted or lost; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async lose(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: LoseLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new LoseLeadCommand(leadId, body, context)),
    );
  }
}
