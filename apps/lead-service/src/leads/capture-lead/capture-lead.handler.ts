import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { canonicalLeadId } from '@lead/domain';
import type { CommandContext } from '../shared/command-context';
import { canonicalCountry } from '../shared/lead-request-fields';
import { LeadCommandRunner, type LeadCommandResponse } from '../shared/lead-command-runner';
import { CaptureLeadCommand } from './capture-lead.command';

const leadIdNamespace = 'b3c2f0de-4f7e-4a51-8d0a-0d6f3e1c9a44';

@CommandHandler(CaptureLeadCommand)
export class CaptureLeadHandler implements ICommandHandler<CaptureLeadCommand> {
  constructor(private readonly leads: LeadCommandRunner) {}

  execute({ request, context }: CaptureLeadCommand): Promise<LeadCommandResponse> {
    const { leadId, priorTouches, sourcedBy, country, ...fields } = request;
    return this.leads.run(
      {
        type: 'CaptureLead',
        ...fields,
        ...(country !== undefined && { country: canonicalCountry(country) }),
        // validated as a UUID by the request; stored in its canonical (lower-case) form
        leadId: leadId === undefined ? newLeadId(context) : canonicalLeadId(leadId)!,
        sourcedBy: sourcedBy ?? 'marketing',
        priorTouches: (priorTouches ?? []).map((touch) => ({
          ...touch,
          occurredAt: new Date(touch.occurredAt).toISOString(),
        })),
      },
      context,
    );
  }
}

// A retried capture with the same Idempotency-Key must land on the same lead.
const newLeadId = ({ idempotencyKey, actor }: CommandContext): string =>
  idempotencyKey ? uuidv5(`${actor.id}\n${idempotencyKey}`, leadIdNamespace) : uuidv7();
