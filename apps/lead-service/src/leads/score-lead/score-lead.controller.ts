import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/api-key.guard';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { ScoreLeadRequest } from './score-lead.request';

@Controller('leads')
export class ScoreLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/score')
  @HttpCode(200)
  @Roles('marketing')
  score(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: ScoreLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return sendLeadCommand(
      this.commandBus,
      { type: 'ScoreLead', leadId, ...body, reasons: body.reasons ?? [] },
      context,
      reply,
    );
  }
}
