import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { LogSalesActivityRequest } from './log-sales-activity.request';
import { LogSalesActivityCommand } from './log-sales-activity.command';

@ApiTags('lead commands')
@Controller('leads')
export class LogSalesActivityController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/activities')
  @HttpCode(201)
  @Authorized('sales')
  @ApiLeadCommand({
    summary: 'Log an outreach attempt on an accepted lead',
    description:
      'Appends SalesActivityLogged (a call, email, meeting, social touch or other, with an optional outcome and note) against the accepted handoff; these attempts are what the follow-up SLA counts (GET /sla/follow-ups).',
    body: LogSalesActivityRequest,
    status: 201,
    conflict:
      'invalid_transition: the lead is not accepted (or sql) yet; lead_closed: it is converted or lost; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before the acceptance.',
  })
  async log(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: LogSalesActivityRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new LogSalesActivityCommand(leadId, body, context)),
    );
  }
}
