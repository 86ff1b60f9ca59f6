import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { ConvertLeadRequest } from './convert-lead.request';

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
  convert(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: ConvertLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return sendLeadCommand(
      this.commandBus,
      { type: 'ConvertLead', leadId, ...body },
      context,
      reply,
    );
  }
}
