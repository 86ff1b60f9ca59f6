import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type LeadCommand, type LeadPolicy, decide, leadDecider, leadStream } from '@lead/domain';
import { EventStore, handleCommand } from '@lead/event-store';
import { AppSettings, Clock } from '../../config/app-settings';
import type { CommandContext } from './command-context';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// What a controller knows: the request. Time and policy in force are added here, in one place.
export type LeadCommandInput = DistributiveOmit<LeadCommand, 'now' | 'occurredAt'> & {
  occurredAt?: string;
};

export type LeadCommandResponse = { leadId: string; revision: number; position: string };

export class ExecuteLeadCommand {
  constructor(
    readonly input: LeadCommandInput,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ExecuteLeadCommand)
export class ExecuteLeadCommandHandler implements ICommandHandler<
  ExecuteLeadCommand,
  LeadCommandResponse
> {
  constructor(
    private readonly store: EventStore,
    private readonly settings: AppSettings,
    private readonly clock: Clock,
  ) {}

  async execute({ input, context }: ExecuteLeadCommand): Promise<LeadCommandResponse> {
    const now = this.clock.now().toISOString();
    // Stored business times are normalised to UTC ISO strings, so equal instants compare equal.
    const occurredAt = input.occurredAt ? new Date(input.occurredAt).toISOString() : now;
    const command: LeadCommand = { ...input, now, occurredAt };
    const policy = this.policy();
    const { actor, correlationId, expectedRevision, idempotencyKey } = context;
    const result = await handleCommand(
      this.store,
      leadStream(command.leadId),
      // as initialState + evolve, so a lead's state is kept between its commands
      leadDecider,
      (state) => decide(command, state, policy),
      {
        actor,
        correlationId,
        causationId: null,
        occurredAt,
        expectedRevision,
        // scoped to caller, command and lead: the same key elsewhere is a different request
        idempotencyKey:
          idempotencyKey && [actor.id, command.type, command.leadId, idempotencyKey].join('\n'),
      },
    );
    return {
      leadId: command.leadId,
      revision: result.revision,
      position: result.position.toString(),
    };
  }

  private policy(): LeadPolicy {
    const { mqlThreshold, slaAcceptWithinMinutes: minutes } = this.settings.config;
    return {
      mqlThreshold,
      slaPolicy: { id: `accept-within-${minutes}m`, acceptWithinMinutes: minutes },
    };
  }
}

type HeaderReply = { header(name: string, value: string): unknown };

// The one way a controller sends a lead command: dispatch, then expose the new revision as ETag.
export const sendLeadCommand = async (
  commandBus: { execute<C, R>(command: C): Promise<R> },
  input: LeadCommandInput,
  context: CommandContext,
  reply: HeaderReply,
): Promise<LeadCommandResponse> => {
  const result = await commandBus.execute<ExecuteLeadCommand, LeadCommandResponse>(
    new ExecuteLeadCommand(input, context),
  );
  reply.header('ETag', `"${result.revision}"`);
  return result;
};
