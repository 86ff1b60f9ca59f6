import {
  type AgreementEvent,
  type AgreementState,
  agreementStream,
  foldAgreement,
  foundingEffectiveFrom,
  termsFromConfiguration,
} from '@lead/domain';
import type { EventStore } from '@lead/event-store';
import type { AppConfig } from '@lead/runtime';

/**
 * The agreement as the log holds it, for reports whose targets come from the version in force; a
 * log the service never started on has only the founding terms, which it would write from this
 * configuration.
 */
export const readAgreementState = async (
  eventStore: EventStore,
  config: AppConfig,
): Promise<AgreementState> => {
  const facts = await eventStore.readStream<AgreementEvent>(agreementStream);
  if (facts.length > 0) return foldAgreement(facts);
  return {
    versions: [
      {
        version: 1,
        status: 'approved',
        effectiveFrom: foundingEffectiveFrom,
        terms: termsFromConfiguration(config),
        proposedAt: foundingEffectiveFrom,
        proposer: 'system',
        signatures: [],
      },
    ],
  };
};
