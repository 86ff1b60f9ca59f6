import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/api-key.guard';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { RejectLeadRequest } from './reject-lead.request';

@Controller('leads')
export class RejectLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('sales')
  reject(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: RejectLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return sendLeadCommand(
      this.commandBus,
      { type: 'RejectLead', leadId, ...body },
      context,
      reply,
    );
  }
}
