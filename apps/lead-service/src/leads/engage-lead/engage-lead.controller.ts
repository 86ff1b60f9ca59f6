import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/api-key.guard';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { EngageLeadRequest } from './engage-lead.request';

@Controller('leads')
export class EngageLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/engagements')
  @HttpCode(201)
  @Roles('marketing')
  engage(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: EngageLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return sendLeadCommand(
      this.commandBus,
      { type: 'EngageLead', leadId, ...body },
      context,
      reply,
    );
  }
}
