import { Injectable } from '@nestjs/common';
import {
  type AgreementVersion,
  type LeadCommand,
  type LeadEvent,
  type LeadPolicy,
  computedScore,
  decide,
  leadDecider,
  leadStream,
} from '@lead/domain';
import {
  type CommandOptions,
  type CommandResult,
  EventStore,
  handleCommand,
} from '@lead/event-store';
import { AgreementBook } from '../../agreements/agreement-book';
import { Clock } from '../../config/app-settings';
import type { LeadCommandResultSchema } from '../../openapi/lead.schemas';
import type { CommandContext } from './command-context';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// What a handler knows: the request. Time and the policy in force are added here, in one place.
export type LeadCommandInput = DistributiveOmit<LeadCommand, 'now' | 'occurredAt'> & {
  occurredAt?: string;
};

// The declared OpenAPI shape, so the compiler checks every command's answer against it.
export type LeadCommandResponse = LeadCommandResultSchema;

/** Runs one lead command against the log: every command handler ends here. */
@Injectable()
export class LeadCommandRunner {
  constructor(
    private readonly store: EventStore,
    private readonly agreement: AgreementBook,
    private readonly clock: Clock,
  ) {}

  async run(input: LeadCommandInput, context: CommandContext): Promise<LeadCommandResponse> {
    const now = this.clock.now().toISOString();
    // Stored business times are normalised to UTC ISO strings, so equal instants compare equal.
    const occurredAt = input.occurredAt ? new Date(input.occurredAt).toISOString() : now;
    const command: LeadCommand = { ...input, now, occurredAt };
    // The agreement in force at the command's business time, stamped into the events it shapes
    // (the handoff's SLA policy), so a later version never rejudges the past.
    const { agreement, policy } = await this.agreement.policyFor(command);
    const result = await handleCommand(
      this.store,
      leadStream(command.leadId),
      // as initialState + evolve, so a lead's state is kept between its commands
      leadDecider,
      (state) => decide(command, state, policy),
      leadCommandOptions(command, context),
    );
    const scored = scoringFacts.includes(command.type)
      ? await this.scoreByRules(command, agreement, policy, result, context)
      : null;
    return leadCommandResponse(command.leadId, scored ?? result);
  }

  // Under rule-based scoring the system scores the lead after each fact that can change it, as
  // its own command caused by that fact. Event ids derive from the fact's, so a retried command
  // (replayed by its Idempotency-Key) scores at most once.
  private async scoreByRules(
    command: LeadCommand,
    agreement: AgreementVersion,
    policy: LeadPolicy,
    { revision }: CommandResult,
    { correlationId }: CommandContext,
  ): Promise<CommandResult | null> {
    if (agreement.terms.scoring.source !== 'rules') return null;
    const stream = leadStream(command.leadId);
    const facts = await this.store.readStream<LeadEvent>(stream);
    const fact = facts.find((event) => event.revision === revision);
    if (!fact) return null;
    const at = fact.metadata.occurredAt;
    const now = this.clock.now().toISOString();
    try {
      return await handleCommand(
        this.store,
        stream,
        leadDecider,
        (state) => {
          const scoring = computedScore(
            facts.filter((event) => event.revision <= revision),
            agreement,
            at,
            now,
          );
          if (!scoring) throw new NothingToScore();
          return decide(scoring, state, policy);
        },
        {
          actor: system,
          correlationId,
          causationId: fact.metadata.eventId,
          occurredAt: at,
          idempotencyKey: `score-after\n${fact.metadata.eventId}`,
        },
      );
    } catch (error) {
      if (error instanceof NothingToScore) return null;
      throw error;
    }
  }
}

const scoringFacts: LeadCommand['type'][] = ['CaptureLead', 'EngageLead'];
const system = { id: 'system', role: 'system' };
class NothingToScore extends Error {}

export const leadCommandOptions = (
  command: LeadCommand,
  { actor, correlationId, expectedRevision, idempotencyKey, onBehalfOf }: CommandContext,
): CommandOptions => ({
  actor,
  onBehalfOf,
  correlationId,
  causationId: null,
  occurredAt: command.occurredAt,
  expectedRevision,
  // scoped to caller, command and lead: the same key elsewhere is a different request
  idempotencyKey:
    idempotencyKey && [actor.id, command.type, command.leadId, idempotencyKey].join('\n'),
});

// Whether an answer was replayed from an earlier request with the same Idempotency-Key: a hidden
// mark (a non-enumerable symbol) so HTTP answers stay {leadId, revision, position}.
const replayedMark = Symbol('replayed');

export const wasReplayed = (response: LeadCommandResponse): boolean =>
  (response as { [replayedMark]?: boolean })[replayedMark] === true;

export const leadCommandResponse = (
  leadId: string,
  { revision, position, replayed }: CommandResult,
): LeadCommandResponse =>
  Object.defineProperty({ leadId, revision, position: position.toString() }, replayedMark, {
    value: replayed,
  });

type HeaderReply = { header(name: string, value: string): unknown };

/** A command's answer over HTTP: the new revision is the lead's ETag. */
export const withETag = (reply: HeaderReply, result: LeadCommandResponse): LeadCommandResponse => {
  reply.header('ETag', `"${result.revision}"`);
  return result;
};
