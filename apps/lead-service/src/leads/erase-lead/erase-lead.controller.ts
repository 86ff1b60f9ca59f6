import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DomainError, leadStream } from '@lead/domain';
import { PersonalDataEventStore, RevisionConflict } from '@lead/event-store';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { LeadIdPipe } from '../shared/lead-id.pipe';
import { AnalyticsSource } from '../../read-side/analytics-source';
import { EraseLeadRequest } from './erase-lead.request';

/**
 * GDPR erasure by crypto-shredding: destroys the lead's data key, then records
 * LeadPersonalDataErased. The key goes first: if the append fails the data is already
 * unreadable and a retry records the event; the reverse order could leave a log that claims an
 * erasure that did not happen. Erasing again changes nothing and answers with the first erasure
 * (two erasures racing may both record the event, which is harmless).
 */
@ApiTags('lead commands')
@Controller('leads')
export class EraseLeadController {
  constructor(
    private readonly store: PersonalDataEventStore,
    private readonly commandBus: CommandBus,
    private readonly source: AnalyticsSource,
  ) {}

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
    const streamId = leadStream(leadId);
    const events = await this.store.readStream(streamId);
    const head = events.at(-1);
    if (!head) throw new DomainError('lead_not_found', `lead ${leadId} does not exist`);
    // If-Match is checked before the key is destroyed, not only when appending
    if (context.expectedRevision !== undefined && context.expectedRevision !== head.revision) {
      throw new RevisionConflict(streamId, context.expectedRevision, head.revision);
    }
    await this.store.erasePersonalData(leadId);
    // cached as-of replays hold ciphertext only, but nothing of the lead should outlive the key
    this.source.forgetReplays();
    const erased = events.find((event) => event.type === 'LeadPersonalDataErased');
    if (!erased) {
      return sendLeadCommand(
        this.commandBus,
        { type: 'EraseLeadPersonalData', leadId },
        context,
        reply,
      );
    }
    reply.header('ETag', `"${erased.revision}"`);
    return { leadId, revision: erased.revision, position: erased.position.toString() };
  }
}
