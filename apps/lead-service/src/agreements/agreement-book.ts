import { Injectable } from '@nestjs/common';
import {
  type AgreementCommand,
  type AgreementEvent,
  type AgreementState,
  type AgreementVersion,
  type LeadCommand,
  type LeadPolicy,
  agreementInForceAt,
  agreementStream,
  decideAgreement,
  evolveAgreement,
  foldAgreement,
  initialAgreementState,
  leadPolicyUnder,
  termsFromConfiguration,
} from '@lead/domain';
import { EventStore, derivedEventId, handleCommand } from '@lead/event-store';
import { AppSettings, Clock } from '../config/app-settings';
import type { CommandContext } from '../leads/shared/command-context';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type AgreementCommandInput = DistributiveOmit<AgreementCommand, 'now' | 'occurredAt'>;

const system = { id: 'system', role: 'system' };
// Derived event ids make the founding idempotent across restarts and racing processes: the
// loser of the race re-reads, finds these ids and appends nothing.
const foundingKey = 'agreement-founding';
// Thrown from inside the decision to leave handleCommand without an (empty) append.
class NothingToAppend extends Error {}

/** The agreement stream, read: the versions, the one in force, and the policy it sets. */
@Injectable()
export class AgreementBook {
  constructor(
    private readonly store: EventStore,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  // The agreement as folded so far and the revision it was folded to. Every lead command asks for
  // it, so each call reads only the events appended since (by any process) and folds them on.
  private folded: { state: AgreementState; revision: number } = {
    state: initialAgreementState,
    revision: -1,
  };

  async state(): Promise<AgreementState> {
    const base = this.folded;
    const tail = await this.store.readStream<AgreementEvent>(agreementStream, {
      fromRevision: base.revision + 1,
    });
    if (tail.length === 0) {
      if (base.revision >= 0) return base.state;
      await this.found();
      return this.state();
    }
    const next = {
      state: tail.reduce(evolveAgreement, base.state),
      revision: tail.at(-1)!.revision,
    };
    // concurrent calls may fold the same tail: keep whichever got further
    if (next.revision > this.folded.revision) this.folded = next;
    return next.state;
  }

  async inForceAt(at: string): Promise<AgreementVersion | null> {
    return agreementInForceAt(await this.state(), at);
  }

  /** The agreement in force at a lead command's business time, and the policy it sets. */
  async policyFor(
    command: LeadCommand,
  ): Promise<{ agreement: AgreementVersion; policy: LeadPolicy }> {
    const agreement = await this.inForceAt(command.occurredAt);
    // The founding version is in force since 1970, so only a business time before it lands here.
    if (!agreement) throw new Error(`no agreement in force at ${command.occurredAt}`);
    const toRep = command.type === 'HandOffLead' ? command.toRep : undefined;
    return { agreement, policy: leadPolicyUnder(agreement, toRep) };
  }

  /**
   * Decides one agreement command, dated now (agreements are not backfilled), and answers the
   * version it concerns as it stands afterwards.
   */
  async run(input: AgreementCommandInput, context: CommandContext): Promise<AgreementVersion> {
    await this.state(); // founds the agreement first on a fresh log
    const now = this.clock.now().toISOString();
    const command = { ...input, occurredAt: now, now };
    const { actor, correlationId, expectedRevision, idempotencyKey } = context;
    // scoped to caller and command: the same key elsewhere is a different request
    const scopedKey = idempotencyKey && [actor.id, command.type, idempotencyKey].join('\n');
    let decided: AgreementEvent[] = [];
    try {
      await handleCommand(
        this.store,
        agreementStream,
        foldAgreement,
        (state) => {
          decided = decideAgreement(command, state);
          // a repeated signature or withdrawal: answered as it stands, nothing appended
          if (decided.length === 0) throw new NothingToAppend();
          return decided;
        },
        {
          actor,
          correlationId,
          causationId: null,
          occurredAt: now,
          expectedRevision,
          idempotencyKey: scopedKey,
        },
      );
    } catch (error) {
      if (!(error instanceof NothingToAppend)) throw error;
    }
    const facts = await this.store.readStream<AgreementEvent>(agreementStream);
    const number =
      'version' in command
        ? command.version
        : (decided[0]?.data.version ??
          facts.find(
            ({ metadata }) => scopedKey && metadata.eventId === derivedEventId(scopedKey, 0),
          )?.data.version);
    const version = foldAgreement(facts).versions.find((candidate) => candidate.version === number);
    if (!version) throw new Error(`agreement command ${command.type} left no version to answer`);
    return version;
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
