import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { UpdateLeadProfileCommand } from './update-lead-profile.command';
import { UpdateLeadProfileRequest } from './update-lead-profile.request';

@ApiTags('lead commands')
@Controller('leads')
export class UpdateLeadProfileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/profile')
  @HttpCode(200)
  @Authorized('marketing', 'sales')
  @ApiLeadCommand({
    summary: "Update the lead's profile",
    description:
      'Appends LeadProfileUpdated with the fields that changed (title is personal data, encrypted and erasable like name). Nothing changed: nothing is appended and the answer is the current revision. Under rule-based scoring the lead is rescored (LeadScored caused by the update).',
    body: UpdateLeadProfileRequest,
    status: 200,
    conflict:
      'lead_closed: the lead is converted or lost; personal_data_erased: a title for an erased lead; revision_conflict: If-Match is stale. occurred_before_prerequisite: occurredAt is before the capture.',
  })
  async update(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() body: UpdateLeadProfileRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(
      reply,
      await this.commandBus.execute(new UpdateLeadProfileCommand(leadId, body, context)),
    );
  }
}
