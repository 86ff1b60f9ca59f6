import { Injectable } from '@nestjs/common';
import {
  type AgreementEvent,
  type AgreementState,
  type AgreementVersion,
  type LeadCommand,
  type LeadPolicy,
  agreementInForceAt,
  agreementStream,
  decideAgreement,
  foldAgreement,
  leadPolicyUnder,
  termsFromConfiguration,
} from '@lead/domain';
import { EventStore, handleCommand } from '@lead/event-store';
import { AppSettings, Clock } from '../config/app-settings';

const system = { id: 'system', role: 'system' };
// Derived event ids make the founding idempotent across restarts and racing processes: the
// loser of the race re-reads, finds these ids and appends nothing.
const foundingKey = 'agreement-founding';

/** The agreement stream, read: the versions, the one in force, and the policy it sets. */
@Injectable()
export class AgreementBook {
  constructor(
    private readonly store: EventStore,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  async state(): Promise<AgreementState> {
    const facts = await this.store.readStream<AgreementEvent>(agreementStream);
    if (facts.length > 0) return foldAgreement(facts);
    await this.found();
    return foldAgreement(await this.store.readStream<AgreementEvent>(agreementStream));
  }

  async inForceAt(at: string): Promise<AgreementVersion | null> {
    return agreementInForceAt(await this.state(), at);
  }

  /** The policy a lead command is decided under: the agreement in force at its business time. */
  async policyFor(command: LeadCommand): Promise<LeadPolicy> {
    const agreement = await this.inForceAt(command.occurredAt);
    // The founding version is in force since 1970, so only a business time before it lands here.
    if (!agreement) throw new Error(`no agreement in force at ${command.occurredAt}`);
    return leadPolicyUnder(agreement, command.type === 'HandOffLead' ? command.toRep : undefined);
  }

  /** Version 1 from today's configuration, once; later starts change nothing. */
  async found(): Promise<void> {
    const now = this.clock.now().toISOString();
    const terms = termsFromConfiguration(this.settings.config);
    await handleCommand(
      this.store,
      agreementStream,
      foldAgreement,
      (state) => decideAgreement({ type: 'FoundAgreement', terms, occurredAt: now, now }, state),
      {
        actor: system,
        correlationId: foundingKey,
        causationId: null,
        occurredAt: now,
        idempotencyKey: foundingKey,
      },
    );
  }
}
