import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  type AgreementVersion,
  type LeadCommand,
  type LeadPolicy,
  computedScoreOf,
  decide,
  leadStream,
  scoredLeadEvolution,
} from '@lead/domain';
import {
  type CommandOptions,
  type CommandResult,
  EventStore,
  derivedEventId,
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
    const options = leadCommandOptions(command, context);
    // A scoring fact is one event; its id is chosen here so the rescore can name it as its cause.
    const factId = options.idempotencyKey ? derivedEventId(options.idempotencyKey, 0) : uuidv7();
    let result: CommandResult;
    try {
      result = await handleCommand(
        this.store,
        leadStream(command.leadId),
        // as initialState + evolve, so a lead's state (and its scoring inputs) is kept between
        // its commands
        scoredLeadEvolution,
        ({ lead }) => {
          const events = decide(command, lead, policy);
          // nothing changes (a profile update with the profile as it is): nothing to append
          if (events.length === 0) throw new NothingToAppend();
          return events;
        },
        scoringFacts.includes(command.type) ? { ...options, newEventId: () => factId } : options,
      );
    } catch (error) {
      if (!(error instanceof NothingToAppend)) throw error;
      return leadCommandResponse(command.leadId, await this.current(command.leadId));
    }
    const scored = scoringFacts.includes(command.type)
      ? await this.scoreByRules(command, agreement, policy, result, factId, context)
      : null;
    return leadCommandResponse(command.leadId, scored ?? result);
  }

  // The lead as it stands, answered when a command changes nothing.
  private async current(leadId: string): Promise<CommandResult> {
    const last = (await this.store.readStream(leadStream(leadId))).at(-1);
    if (!last) throw new Error(`lead ${leadId} decided nothing but has no events`);
    return { revision: last.revision, position: last.position, replayed: true };
  }

  // Under rule-based scoring the system scores the lead after each fact that can change it, as
  // its own command caused by that fact and evaluated at the fact's business time. It decides on
  // the state handleCommand kept after the fact (no second read of the stream); the event id
  // derives from the fact's, so a retried command (replayed by its Idempotency-Key) scores at
  // most once.
  private async scoreByRules(
    command: LeadCommand,
    agreement: AgreementVersion,
    policy: LeadPolicy,
    { replayed }: CommandResult,
    factId: string,
    { correlationId }: CommandContext,
  ): Promise<CommandResult | null> {
    if (agreement.terms.scoring.source !== 'rules') return null;
    const scoreKey = `score-after\n${factId}`;
    const now = this.clock.now().toISOString();
    try {
      return await handleCommand(
        this.store,
        leadStream(command.leadId),
        scoredLeadEvolution,
        (state) => {
          const scoring = computedScoreOf(state, agreement, command.occurredAt, now);
          if (!scoring) throw new NothingToAppend();
          return decide(scoring, state.lead, policy);
        },
        {
          actor: system,
          correlationId,
          causationId: factId,
          occurredAt: command.occurredAt,
          // A replayed fact re-reads the stream to find the score it caused, if any; a new fact
          // scores on the kept state, its score's id derived all the same.
          ...(replayed
            ? { idempotencyKey: scoreKey }
            : { newEventId: () => derivedEventId(scoreKey, 0) }),
        },
      );
    } catch (error) {
      if (error instanceof NothingToAppend) return null;
      throw error;
    }
  }
}

const scoringFacts: LeadCommand['type'][] = ['CaptureLead', 'EngageLead', 'UpdateLeadProfile'];
const system = { id: 'system', role: 'system' };
// Thrown from inside a decision to leave handleCommand without an (empty) append.
class NothingToAppend extends Error {}

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
  // a capture's lead is new (an existing one makes the append conflict, then it is read)
  presumeNew: command.type === 'CaptureLead',
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
