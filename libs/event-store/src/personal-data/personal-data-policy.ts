import { leadStreamPrefix } from '@lead/domain';

/** Which fields of which event types are personal, and whose key encrypts them. */
export type PersonalDataPolicy = {
  /** event type -> its personal fields */
  fields: Readonly<Record<string, readonly string[]>>;
  /** the subject (key owner) of a stream; null: the stream holds no personal data */
  subjectOf: (streamId: string) => string | null;
};

// Keyed by the stream, not by a field of the data, so an edited event cannot point at another
// lead's key (DESIGN §3: one stream per lead, `lead-<leadId>`).
export const leadPersonalDataPolicy: PersonalDataPolicy = {
  fields: { LeadCaptured: ['email', 'name', 'title'], LeadProfileUpdated: ['title'] },
  subjectOf: (streamId) =>
    streamId.startsWith(leadStreamPrefix) ? streamId.slice(leadStreamPrefix.length) : null,
};
