import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/api-key.guard';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { HandOffLeadRequest } from './hand-off-lead.request';

@Controller('leads')
export class HandOffLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/handoff')
  @HttpCode(200)
  @Roles('marketing')
  handOff(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: HandOffLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return sendLeadCommand(
      this.commandBus,
      { type: 'HandOffLead', leadId, ...body },
      context,
      reply,
    );
  }
}
