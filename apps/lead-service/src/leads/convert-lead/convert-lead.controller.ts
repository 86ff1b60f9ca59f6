import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { ConvertLeadRequest } from './convert-lead.request';
import { ConvertLeadCommand } from './convert-lead.command';

@ApiTags('lead commands')
@Controller('leads')
export class ConvertLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/convert')
  @HttpCode(200)
  @Authorized('sales')
  @ApiLeadCommand({
    summary: 'Convert an accepted lead',
    description:
      'Appends LeadConverted with the amount in integer minor units; attribution credits are fixed at this point.',
    body: ConvertLeadRequest,
    status: 200,
    conflict:
      'invalid_transition: only accepted leads convert; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before a step it depends on.',
  })
  async convert(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: ConvertLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new ConvertLeadCommand(leadId, body, context)),
    );
  }
}
