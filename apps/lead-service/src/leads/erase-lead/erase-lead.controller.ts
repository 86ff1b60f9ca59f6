import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, withETag } from '../shared/lead-command-runner';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { EraseLeadCommand } from './erase-lead.command';
import { EraseLeadRequest } from './erase-lead.request';

@ApiTags('lead commands')
@Controller('leads')
export class EraseLeadController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Authorized('admin')
  @ApiLeadCommand({
    summary: 'Erase personal data (GDPR)',
    description:
      "Destroys the lead's data key (crypto-shredding) and appends LeadPersonalDataErased: email and name read as null everywhere, history included, while every figure stays the same. Erasing again answers with the first erasure. Send no body, or an empty object.",
    body: EraseLeadRequest,
    status: 200,
    optionalBody: true,
    conflict: 'revision_conflict: If-Match is stale.',
  })
  async erase(
    @Param('id', LeadIdPipe) leadId: string,
    @Body() _body: EraseLeadRequest,
    @CommandMeta() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadCommandResponse> {
    return withETag(reply, await this.commandBus.execute(new EraseLeadCommand(leadId, context)));
  }
}
