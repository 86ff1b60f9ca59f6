import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { FastifyReply } from 'fastify';
import { ApiTags } from '@nestjs/swagger';
import { canonicalLeadId } from '@lead/domain';
import { Authorized } from '../../openapi/api-access.decorator';
import { ApiLeadCommand } from '../../openapi/api-lead-command.decorator';
import { CommandMeta, type CommandContext } from '../shared/command-context';
import { type LeadCommandResponse, sendLeadCommand } from '../shared/execute-lead-command';
import { CaptureLeadRequest } from './capture-lead.request';

const leadIdNamespace = 'b3c2f0de-4f7e-4a51-8d0a-0d6f3e1c9a44';

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
    const { leadId, priorTouches, sourcedBy, ...fields } = body;
    const input = {
      type: 'CaptureLead',
      ...fields,
      // validated as a UUID by the request; stored in its canonical (lower-case) form
      leadId: leadId === undefined ? newLeadId(context) : canonicalLeadId(leadId)!,
      sourcedBy: sourcedBy ?? 'marketing',
      priorTouches: (priorTouches ?? []).map((touch) => ({
        ...touch,
        occurredAt: new Date(touch.occurredAt).toISOString(),
      })),
    } as const;
    const result = await sendLeadCommand(this.commandBus, input, context, reply);
    reply.header('Location', `/leads/${result.leadId}`);
    return result;
  }
}

// A retried capture with the same Idempotency-Key must land on the same lead.
const newLeadId = ({ idempotencyKey, actor }: CommandContext): string =>
  idempotencyKey ? uuidv5(`${actor.id}\n${idempotencyKey}`, leadIdNamespace) : uuidv7();
