// Stable codes: clients and the HTTP problem responses depend on them.
export type DomainErrorCode =
  | 'lead_not_found'
  | 'lead_already_exists'
  | 'lead_closed'
  | 'invalid_transition'
  | 'lead_not_qualified'
  | 'occurred_at_in_future'
  | 'handoff_not_pending'
  | 'handoff_not_found'
  | 'handoff_not_decided'
  | 'occurred_before_prerequisite'
  | 'agreement_version_not_found'
  | 'agreement_terms_invalid'
  | 'agreement_retroactive'
  | 'agreement_withdrawn'
  | 'agreement_approved'
  | 'agreement_effective_from_passed'
  | 'score_is_computed'
  | 'personal_data_erased'
  | 'lead_already_sql'
  | 'handoff_not_rejected'
  | 'rejection_already_disputed'
  | 'rejection_not_disputed'
  | 'rejection_dispute_already_resolved';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** field errors, for a refusal of invalid input that the domain validates (agreement terms) */
    readonly errors?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The one way any layer says a lead does not exist. */
export const leadNotFound = (leadId: string): DomainError =>
  new DomainError('lead_not_found', `lead ${leadId} does not exist`);
