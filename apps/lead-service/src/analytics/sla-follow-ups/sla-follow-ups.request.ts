import { SlaRowsRequest } from '../sla-handoffs/sla-handoffs.request';

// The same filters as the handoff rows: status (judged at now or asOf), rep, from/to, asOf.
export class SlaFollowUpsRequest extends SlaRowsRequest {}
