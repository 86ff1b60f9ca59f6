import type { Command } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { canonicalLeadId } from '@lead/domain';
import { roles } from '@lead/runtime';
import { ApplicationError } from '../../http/application-error';
import { JsonObjectBodyPipe, validationPipe } from '../../http/validation';
import { AcceptLeadCommand } from '../../leads/accept-lead/accept-lead.command';
import { AcceptLeadRequest } from '../../leads/accept-lead/accept-lead.request';
import { CaptureLeadCommand } from '../../leads/capture-lead/capture-lead.command';
import { CaptureLeadRequest } from '../../leads/capture-lead/capture-lead.request';
import { ConvertLeadCommand } from '../../leads/convert-lead/convert-lead.command';
import { ConvertLeadRequest } from '../../leads/convert-lead/convert-lead.request';
import { EngageLeadCommand } from '../../leads/engage-lead/engage-lead.command';
import { EngageLeadRequest } from '../../leads/engage-lead/engage-lead.request';
import { HandOffLeadCommand } from '../../leads/hand-off-lead/hand-off-lead.command';
import { HandOffLeadRequest } from '../../leads/hand-off-lead/hand-off-lead.request';
import { LogSalesActivityCommand } from '../../leads/log-sales-activity/log-sales-activity.command';
import { LogSalesActivityRequest } from '../../leads/log-sales-activity/log-sales-activity.request';
import { LoseLeadCommand } from '../../leads/lose-lead/lose-lead.command';
import { LoseLeadRequest } from '../../leads/lose-lead/lose-lead.request';
import { QualifyLeadCommand } from '../../leads/qualify-lead/qualify-lead.command';
import { QualifyLeadRequest } from '../../leads/qualify-lead/qualify-lead.request';
import { RejectLeadCommand } from '../../leads/reject-lead/reject-lead.command';
import { RejectLeadRequest } from '../../leads/reject-lead/reject-lead.request';
import { ScoreLeadCommand } from '../../leads/score-lead/score-lead.command';
import { ScoreLeadRequest } from '../../leads/score-lead/score-lead.request';
import { type CommandContext, idempotencyKeyPattern } from '../../leads/shared/command-context';
import { UpdateLeadProfileCommand } from '../../leads/update-lead-profile/update-lead-profile.command';
import { UpdateLeadProfileRequest } from '../../leads/update-lead-profile/update-lead-profile.request';
import { IsIdentifier, identifierPattern } from '../../leads/shared/lead-request-fields';
import type { LeadCommandResponse } from '../../leads/shared/lead-command-runner';

export const importableCommands = [
  'capture',
  'engage',
  'profile',
  'score',
  'handoff',
  'accept',
  'reject',
  'convert',
  'lose',
  'qualify',
  'activity',
] as const;
export type ImportableCommand = (typeof importableCommands)[number];

export type ImportLineCode =
  'malformed_line' | 'line_too_long' | 'unknown_command' | 'validation_failed';

/** A line refused before it reaches a command handler. */
export class ImportLineError extends Error {
  constructor(
    readonly code: ImportLineCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ImportLineError';
  }
}

export class OnBehalfOf {
  @IsIdentifier()
  id!: string;

  @IsIn(roles)
  role!: string;
}

// The envelope of a line; its body is validated by the HTTP command's own request class.
export class ImportLine {
  @IsString()
  command!: string;

  @IsString()
  leadId!: string;

  @IsString()
  @Matches(idempotencyKeyPattern, {
    message: 'idempotencyKey must be 1-255 visible ASCII characters',
  })
  idempotencyKey!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => OnBehalfOf)
  onBehalfOf?: OnBehalfOf;

  @IsObject()
  body!: Record<string, unknown>;
}

type LeadCommand = Command<LeadCommandResponse>;
type Slice = {
  request: new () => object;
  command: (leadId: string, request: never, context: CommandContext) => LeadCommand;
};

// Each line command: the HTTP command's request class and command class, nothing else.
const slices: Record<ImportableCommand, Slice> = {
  capture: {
    request: CaptureLeadRequest,
    command: (leadId, request: CaptureLeadRequest, context) =>
      new CaptureLeadCommand({ ...request, leadId }, context),
  },
  engage: {
    request: EngageLeadRequest,
    command: (leadId, request: EngageLeadRequest, context) =>
      new EngageLeadCommand(leadId, request, context),
  },
  profile: {
    request: UpdateLeadProfileRequest,
    command: (leadId, request: UpdateLeadProfileRequest, context) =>
      new UpdateLeadProfileCommand(leadId, request, context),
  },
  score: {
    request: ScoreLeadRequest,
    command: (leadId, request: ScoreLeadRequest, context) =>
      new ScoreLeadCommand(leadId, request, context),
  },
  handoff: {
    request: HandOffLeadRequest,
    command: (leadId, request: HandOffLeadRequest, context) =>
      new HandOffLeadCommand(leadId, request, context),
  },
  accept: {
    request: AcceptLeadRequest,
    command: (leadId, request: AcceptLeadRequest, context) =>
      new AcceptLeadCommand(leadId, request, context),
  },
  reject: {
    request: RejectLeadRequest,
    command: (leadId, request: RejectLeadRequest, context) =>
      new RejectLeadCommand(leadId, request, context),
  },
  convert: {
    request: ConvertLeadRequest,
    command: (leadId, request: ConvertLeadRequest, context) =>
      new ConvertLeadCommand(leadId, request, context),
  },
  lose: {
    request: LoseLeadRequest,
    command: (leadId, request: LoseLeadRequest, context) =>
      new LoseLeadCommand(leadId, request, context),
  },
  qualify: {
    request: QualifyLeadRequest,
    command: (leadId, request: QualifyLeadRequest, context) =>
      new QualifyLeadCommand(leadId, request, context),
  },
  activity: {
    request: LogSalesActivityRequest,
    command: (leadId, request: LogSalesActivityRequest, context) =>
      new LogSalesActivityCommand(leadId, request, context),
  },
};

const objectChecks = new JsonObjectBodyPipe();

const asLineError = async <T>(check: () => T | Promise<T>): Promise<T> => {
  try {
    return await check();
  } catch (error) {
    if (error instanceof ApplicationError)
      throw new ImportLineError('validation_failed', error.detail);
    throw error;
  }
};

// The same checks, in the same order, as the global pipes apply to an HTTP command's body.
const validated = <T extends object>(value: unknown, type: new () => T): Promise<T> =>
  asLineError(async () => {
    const metadata = { type: 'body' as const, metatype: type };
    return (await validationPipe.transform(objectChecks.transform(value, metadata), metadata)) as T;
  });

const plainEnvelopeFields = new Set(['command', 'leadId', 'idempotencyKey', 'onBehalfOf', 'body']);
const identifier = new RegExp(identifierPattern);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const plainOnBehalfOf = (value: unknown): boolean =>
  value === undefined ||
  (isPlainObject(value) &&
    Object.keys(value).every((key) => key === 'id' || key === 'role') &&
    typeof value.id === 'string' &&
    identifier.test(value.id) &&
    (roles as readonly unknown[]).includes(value.role));

// Running class-validator is the costliest step of a line, so an envelope that plainly passes
// every check of ImportLine is accepted by this stricter test; any other goes through the class,
// for its exact refusal. The safety checks of the whole line always run.
const isPlainEnvelope = (json: Record<string, unknown>): json is ImportLine & typeof json =>
  Object.keys(json).every((key) => plainEnvelopeFields.has(key)) &&
  typeof json.command === 'string' &&
  typeof json.leadId === 'string' &&
  typeof json.idempotencyKey === 'string' &&
  idempotencyKeyPattern.test(json.idempotencyKey) &&
  plainOnBehalfOf(json.onBehalfOf) &&
  isPlainObject(json.body);

const envelopeOf = async (json: Record<string, unknown>): Promise<ImportLine> => {
  await asLineError(() => objectChecks.transform(json, { type: 'body', metatype: ImportLine }));
  return isPlainEnvelope(json) ? json : validated(json, ImportLine);
};

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportLineError(
      'malformed_line',
      `not a JSON object: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};

export type ParsedLine = { leadId: string; command: LeadCommand };

/** One NDJSON line → the HTTP command it stands for, acting as `actor` (for onBehalfOf). */
export const parseImportLine = async (
  text: string,
  context: Omit<CommandContext, 'idempotencyKey' | 'onBehalfOf'>,
): Promise<ParsedLine> => {
  const json = parse(text);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ImportLineError('malformed_line', 'a line must be a JSON object');
  }
  const { command } = json as { command?: unknown };
  if (typeof command === 'string' && !(importableCommands as readonly string[]).includes(command)) {
    throw new ImportLineError(
      'unknown_command',
      `command must be one of ${importableCommands.join(', ')}`,
    );
  }
  const line = await envelopeOf(json as Record<string, unknown>);
  const leadId = canonicalLeadId(line.leadId);
  if (leadId === null) throw new ImportLineError('validation_failed', 'leadId must be a UUID');
  const slice = slices[line.command as ImportableCommand];
  if (line.command === 'capture' && 'leadId' in line.body) {
    throw new ImportLineError('validation_failed', "body.leadId: the lead id is the line's leadId");
  }
  const request = await validated(line.body, slice.request);
  return {
    leadId,
    command: slice.command(leadId, request as never, {
      ...context,
      idempotencyKey: line.idempotencyKey,
      onBehalfOf: line.onBehalfOf && { id: line.onBehalfOf.id, role: line.onBehalfOf.role },
    }),
  };
};
