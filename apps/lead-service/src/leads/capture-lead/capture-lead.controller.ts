import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { CaptureLeadCommand } from './capture-lead.command';
import { CaptureLeadRequest } from './capture-lead.request';

@ApiTags('lead commands')
@Controller('leads')
export class CaptureLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Authorized('marketing', 'sales')
  @ApiLeadCommand({
    summary: 'Capture a lead',
    description: 'Appends LeadCaptured. Location names the new lead.',
    body: CaptureLeadRequest,
    status: 201,
    leadInPath: false,
    conflict: 'lead_already_exists: a lead with this leadId exists.',
  })
  async capture(
    @Body() body: CaptureLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    const result = await this.commandBus.execute(new CaptureLeadCommand(body, context));
    reply.header('Location', `/leads/${result.leadId}`);
    return withETag(reply, result);
  }
}
