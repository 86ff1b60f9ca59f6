import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { EngageLeadRequest } from './engage-lead.request';
import { EngageLeadCommand } from './engage-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class EngageLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/engagements')
  @HttpCode(201)
  @Authorized('marketing')
  @ApiLeadCommand({
    summary: 'Record an engagement',
    description: 'Appends LeadEngaged (a touch that counts for attribution).',
    body: EngageLeadRequest,
    status: 201,
    conflict:
      'lead_closed: the lead is converted or lost; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async engage(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: EngageLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new EngageLeadCommand(leadId, body, context)),
    );
  }
}
