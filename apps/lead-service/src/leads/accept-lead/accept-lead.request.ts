import { DatedRequest, occurredAtDescription } from '../shared/lead-request-fields';

export class AcceptLeadRequest extends DatedRequest(
  occurredAtDescription('the handoff it answers (and the capture)'),
) {}
