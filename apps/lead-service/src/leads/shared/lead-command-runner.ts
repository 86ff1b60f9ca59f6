import { Injectable } from '@nestjs/common';
import { type LeadCommand, type LeadPolicy, decide, foldLead, leadStream } from '@lead/domain';
import {
  type CommandOptions,
  type CommandResult,
  EventStore,
  handleCommand,
} from '@lead/event-store';
import { AppSettings, Clock } from '../../config/app-settings';
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
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  async run(input: LeadCommandInput, context: CommandContext): Promise<LeadCommandResponse> {
    const now = this.clock.now().toISOString();
    // Stored business times are normalised to UTC ISO strings, so equal instants compare equal.
    const occurredAt = input.occurredAt ? new Date(input.occurredAt).toISOString() : now;
    const command: LeadCommand = { ...input, now, occurredAt };
    const result = await handleCommand(
      this.store,
      leadStream(command.leadId),
      foldLead,
      (state) => decide(command, state, this.policy()),
      leadCommandOptions(command, context),
    );
    return leadCommandResponse(command.leadId, result);
  }

  // The terms in force, stamped into the events they shape (the handoff's SLA policy), so a later
  // change never rejudges the past.
  private policy(): LeadPolicy {
    const { mqlThreshold, slaAcceptWithinMinutes: minutes } = this.settings.config;
    return {
      mqlThreshold,
      slaPolicy: { id: `accept-within-${minutes}m`, acceptWithinMinutes: minutes },
    };
  }
}

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
