import { businessDueAt } from '../agreement/business-hours';
import type { SlaPolicy } from '../lead-events';

/** When a handoff at `occurredAt` is due under `policy`: business minutes when it has business hours. */
export const handoffDueAt = (occurredAt: string, policy: SlaPolicy): string =>
  policy.businessHours
    ? businessDueAt(occurredAt, policy.acceptWithinMinutes, policy.businessHours)
    : new Date(Date.parse(occurredAt) + policy.acceptWithinMinutes * 60_000).toISOString();
