import { readFileSync } from 'node:fs';
import { type AgreementTeam, type TermsFieldError, validateAgreementTerms } from '@lead/domain';
import { parseTime } from '../shared/business-range';
import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { printJson } from '../shared/output-format';

// propose, sign and withdraw go through the service's HTTP API, like seed-demo and import: the
// service checks the role, records the token's actor in the events and dates them by its clock.
// The token is required, so who signs is always a deliberate choice, never a default.

export type AgreementApiOptions = { url: string; token: string; format: 'text' | 'json' };
export type AgreementProposeOptions = AgreementApiOptions & { idempotencyKey?: string };
export type AgreementSignOptions = AgreementApiOptions & { team?: AgreementTeam };
export type AgreementWithdrawOptions = AgreementApiOptions & { reason: string };

type Signature = { team: AgreementTeam; actor: string | null; at: string };
type Signatures = { version: number; status: string; signatures: Signature[] };
type Problem = {
  status?: number;
  code?: string;
  detail?: string;
  errors?: TermsFieldError[];
  errorsOmitted?: number;
};

const printFieldErrors = (context: CliContext, errors: TermsFieldError[]): void => {
  for (const { field, message } of errors) writeLine(context.stderr, `  ${field}: ${message}`);
};

const post = async <T>(
  options: AgreementApiOptions & { idempotencyKey?: string },
  path: string,
  body: object,
  context: CliContext,
): Promise<T | null> => {
  let response: Response;
  try {
    response = await fetch(`${options.url}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/json',
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new CliError(
      `cannot reach the service at ${options.url} (${error instanceof Error ? error.message : String(error)}${cause}); start it with \`npm start\` or pass --url`,
    );
  }
  if (response.ok) return (await response.json()) as T;
  const problem = (await response.json().catch(() => ({}))) as Problem;
  writeLine(
    context.stderr,
    `error: HTTP ${response.status}${problem.code ? ` ${problem.code}` : ''}${problem.detail ? `: ${problem.detail}` : ''}`,
  );
  printFieldErrors(context, problem.errors ?? []);
  if (problem.errorsOmitted) writeLine(context.stderr, `  … and ${problem.errorsOmitted} more`);
  return null;
};

const allowedFields = ['effectiveFrom', 'terms', 'note'];

/** The proposal file, checked by the domain's own terms validator before anything is sent. */
export const readProposal = (
  file: string,
): { body: Record<string, unknown>; errors: TermsFieldError[] } => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliError(`${file} must hold one JSON object {effectiveFrom, terms, note?}`);
  }
  const record = body as Record<string, unknown>;
  const errors: TermsFieldError[] = Object.keys(record)
    .filter((key) => !allowedFields.includes(key))
    .map((field) => ({ field, message: 'is not a known field' }));
  if (typeof record.effectiveFrom !== 'string') {
    errors.push({ field: 'effectiveFrom', message: 'is required: an ISO-8601 time with a zone' });
  } else {
    try {
      parseTime(record.effectiveFrom, 'effectiveFrom');
    } catch (error) {
      errors.push({
        field: 'effectiveFrom',
        message: (error as Error).message.replace(/^effectiveFrom /, ''),
      });
    }
  }
  if (record.note !== undefined && (typeof record.note !== 'string' || record.note.trim() === '')) {
    errors.push({ field: 'note', message: 'must be a non-empty string' });
  }
  errors.push(...validateAgreementTerms(record.terms));
  return { body: record, errors };
};

export const agreementProposeCommand = async (
  file: string,
  options: AgreementProposeOptions,
  context: CliContext,
): Promise<number> => {
  const { body, errors } = readProposal(file);
  if (errors.length > 0) {
    writeLine(context.stderr, `error: ${file} is not a valid proposal (nothing was sent)`);
    printFieldErrors(context, errors);
    return 1;
  }
  const answer = await post<{ version: number; status: string }>(
    options,
    '/agreements',
    body,
    context,
  );
  if (!answer) return 1;
  if (options.format === 'json') printJson(context, answer);
  else
    writeLine(
      context.stdout,
      `proposed agreement version ${answer.version}, effective from ${new Date(body.effectiveFrom as string).toISOString()} once both teams sign`,
    );
  return 0;
};

const printSignatures = (context: CliContext, answer: Signatures): void => {
  writeLine(context.stdout, `agreement version ${answer.version}: ${answer.status}`);
  for (const { team, actor, at } of answer.signatures) {
    writeLine(context.stdout, `  signed for ${team} by ${actor ?? '?'} at ${at}`);
  }
};

export const agreementSignCommand = async (
  version: number,
  options: AgreementSignOptions,
  context: CliContext,
): Promise<number> => {
  const body = options.team ? { team: options.team } : {};
  const answer = await post<Signatures>(options, `/agreements/${version}/sign`, body, context);
  if (!answer) return 1;
  if (options.format === 'json') printJson(context, answer);
  else printSignatures(context, answer);
  return 0;
};

export const agreementWithdrawCommand = async (
  version: number,
  options: AgreementWithdrawOptions,
  context: CliContext,
): Promise<number> => {
  const answer = await post<Signatures>(
    options,
    `/agreements/${version}/withdraw`,
    { reason: options.reason },
    context,
  );
  if (!answer) return 1;
  if (options.format === 'json') printJson(context, answer);
  else printSignatures(context, answer);
  return 0;
};
