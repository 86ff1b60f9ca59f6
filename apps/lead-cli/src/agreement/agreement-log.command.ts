import {
  type AgreementEvent,
  type AgreementState,
  type AgreementVersion,
  agreementInForceAt,
  agreementStream,
  foldAgreement,
} from '@lead/domain';
import { parseTime } from '../shared/business-range';
import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { withEventStore } from '../shared/cli-stores';
import { type Column, printJson, renderCsv, renderTable } from '../shared/output-format';
import { diffTerms, flattenTerms, formatChange, formatTermsValue } from './terms-diff';

// show, list and diff read the agreement stream from the log, like the other reading commands:
// they work with the service stopped and need no token.

export type AgreementShowOptions = { at?: string; format: 'text' | 'json' };
export type AgreementListOptions = { format: 'table' | 'csv' | 'json' };
export type AgreementDiffOptions = { format: 'text' | 'json' };

/** A version as GET /agreements/:version answers it. */
export type AgreementView = AgreementVersion & { inForce: boolean };

const readAgreement = (context: CliContext): Promise<AgreementState> =>
  withEventStore(context, async (eventStore) => {
    const state = foldAgreement(await eventStore.readStream<AgreementEvent>(agreementStream));
    if (state.versions.length === 0) {
      throw new CliError(
        'the log holds no agreement yet: the service founds version 1 on its first start',
      );
    }
    return state;
  });

const versionOf = (state: AgreementState, number: number): AgreementVersion => {
  const found = state.versions.find((version) => version.version === number);
  if (!found) {
    throw new CliError(
      `agreement version ${number} does not exist (the latest is ${state.versions.length})`,
    );
  }
  return found;
};

const view = (version: AgreementVersion, inForceNow: AgreementVersion | null): AgreementView => ({
  ...version,
  inForce: inForceNow?.version === version.version,
});

const signaturesText = (version: AgreementVersion): string =>
  version.signatures.map(({ team, actor, at }) => `${team} by ${actor ?? '?'} at ${at}`).join('; ');

/** The version in force now, or at --at, or the one named. */
export const agreementShowCommand = async (
  requested: number | undefined,
  options: AgreementShowOptions,
  context: CliContext,
): Promise<number> => {
  if (requested !== undefined && options.at !== undefined) {
    throw new CliError('give a version or --at, not both');
  }
  const at = options.at === undefined ? undefined : parseTime(options.at, '--at');
  const state = await readAgreement(context);
  const inForceNow = agreementInForceAt(state, context.now().toISOString());
  let version: AgreementVersion;
  if (requested !== undefined) {
    version = versionOf(state, requested);
  } else {
    const inForce = agreementInForceAt(state, at ?? context.now().toISOString());
    if (!inForce) throw new CliError(`no agreement was in force at ${at}`);
    version = inForce;
  }
  const shown = view(version, inForceNow);
  if (options.format === 'json') {
    printJson(context, shown);
    return 0;
  }
  const line = (label: string, value: string) =>
    writeLine(context.stdout, `${label.padEnd(15)} ${value}`);
  const status = shown.inForce ? `${shown.status}, in force now` : shown.status;
  writeLine(
    context.stdout,
    `agreement version ${shown.version} (${status})${at ? `, the version in force at ${at}` : ''}`,
  );
  line('effective from', shown.effectiveFrom);
  line('proposed', `${shown.proposedAt} by ${shown.proposer ?? '?'}`);
  if (shown.note !== undefined) line('note', shown.note);
  line('signed', shown.signatures.length === 0 ? '(no signature yet)' : signaturesText(shown));
  if (shown.withdrawal) line('withdrawn', `${shown.withdrawal.at}: ${shown.withdrawal.reason}`);
  writeLine(context.stdout, 'terms');
  for (const { path, value } of flattenTerms(shown.terms)) {
    writeLine(context.stdout, `  ${path}: ${formatTermsValue(value)}`);
  }
  return 0;
};

const columns: Column<AgreementView>[] = [
  { name: 'version', header: 'version', text: (row) => String(row.version), align: 'right' },
  { name: 'status', header: 'status', text: (row) => row.status },
  { name: 'inForce', header: 'in force', text: (row) => (row.inForce ? 'yes' : '') },
  { name: 'effectiveFrom', header: 'effective from', text: (row) => row.effectiveFrom },
  { name: 'proposer', header: 'proposer', text: (row) => row.proposer ?? '' },
  { name: 'signatures', header: 'signed', text: signaturesText },
];

export const agreementListCommand = async (
  options: AgreementListOptions,
  context: CliContext,
): Promise<number> => {
  const state = await readAgreement(context);
  const inForceNow = agreementInForceAt(state, context.now().toISOString());
  const items = state.versions.map((version) => view(version, inForceNow));
  if (options.format === 'json')
    printJson(context, { items, inForce: inForceNow?.version ?? null });
  else
    writeLine(
      context.stdout,
      options.format === 'csv' ? renderCsv(columns, items) : renderTable(columns, items),
    );
  return 0;
};

export const agreementDiffCommand = async (
  from: number,
  to: number,
  options: AgreementDiffOptions,
  context: CliContext,
): Promise<number> => {
  const state = await readAgreement(context);
  const [before, after] = [versionOf(state, from), versionOf(state, to)];
  const changes = diffTerms(before.terms, after.terms);
  if (options.format === 'json') {
    // null where a side lacks the field (terms never hold null themselves)
    const json = changes.map(({ path, before, after }) => ({
      path,
      before: before ?? null,
      after: after ?? null,
    }));
    printJson(context, { from, to, changes: json });
    return 0;
  }
  writeLine(
    context.stdout,
    `terms of agreement version ${from} → ${to}: ${changes.length === 0 ? 'no change' : `${changes.length} changed`}`,
  );
  for (const change of changes) writeLine(context.stdout, `  ${formatChange(change)}`);
  return 0;
};
