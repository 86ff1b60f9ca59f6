import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/api-key.guard';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { ConvertLeadRequest } from './convert-lead.request';

@Controller('leads')
export class ConvertLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/convert')
  @HttpCode(200)
  @Roles('sales')
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
