import {
  Argument,
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
  type OptionValues,
} from 'commander';
import { attributionModels } from '@lead/domain';
import {
  attributionGroupings,
  qualityGroupings,
  salesScorecardGroupings,
  slaGroupings,
} from '@lead/read-models';
import {
  type AgreementProposeOptions,
  type AgreementSignOptions,
  type AgreementWithdrawOptions,
  agreementProposeCommand,
  agreementSignCommand,
  agreementWithdrawCommand,
} from './agreement/agreement-api.command';
import {
  type AgreementDiffOptions,
  type AgreementListOptions,
  type AgreementShowOptions,
  agreementDiffCommand,
  agreementListCommand,
  agreementShowCommand,
} from './agreement/agreement-log.command';
import { type AttributionOptions, attributionCommand } from './attribution/attribution.command';
import { type ImportOptions, importCommand } from './import/import.command';
import { type RebuildOptions, rebuildCommand } from './rebuild/rebuild.command';
import {
  type RetryParkedCommandOptions,
  retryParkedCommand,
} from './retry-parked/retry-parked.command';
import { type QualityOptions, qualityCommand } from './quality/quality.command';
import { type ReplayOptions, replayCommand } from './replay/replay.command';
import {
  type ScorecardOptions,
  type ScorecardTeam,
  scorecardCommand,
  scorecardTeams,
} from './scorecard/scorecard.command';
import { type SeedDemoOptions, seedDemoCommand } from './seed-demo/seed-demo.command';
import { CliError, type CliContext } from './shared/cli-context';
import { outputFormats } from './shared/output-format';
import { type SlaOptions, slaCommand } from './sla/sla.command';
import { type VerifyOptions, verifyCommand } from './verify/verify.command';

const integer = (value: string): number => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new InvalidArgumentError('must be a whole number');
  }
  return number;
};

const agreementVersion = (value: string): number => {
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new InvalidArgumentError('must be a version number (1, 2, …)');
  return Number(value);
};

const asOfHelp =
  'what the log had recorded by then: position:<n> or an ISO time; replays the log into memory (default: the live read models)';

const reportOptions = (command: Command, formats: readonly string[] = outputFormats): Command =>
  command
    .option('--as-of <point>', asOfHelp)
    .option('--from <time>', 'business time from (inclusive), e.g. 2026-01-01')
    .option('--to <time>', 'business time to (exclusive)')
    .addOption(new Option('--format <format>', 'output format').choices(formats).default('table'));

const environmentHelp = `
The stores are chosen by the same variables as the service: DATA_DIR (embedded SQLite, default
./data), EVENTSTORE_URL (EventStoreDB), MONGO_URL and MONGO_DB (MongoDB read models).`;

/**
 * The commander program. Each action stores its exit code through `exit`; errors surface from
 * `parseAsync` (commander's own as CommanderError, thanks to exitOverride).
 */
export const buildProgram = (context: CliContext, exit: (code: number) => void): Command => {
  const program = new Command('lead-cli')
    .description(
      'Operate the lead lifecycle backend: demo data, attribution and SLA reports (live or as of any point), read model rebuilds, audit chain checks.',
    )
    .option('-q, --quiet', 'no progress bars (they are only drawn on a terminal anyway)', false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', environmentHelp);

  // Each action reads its options (with --quiet) and runs its command function.
  const run = <O extends OptionValues>(
    command: Command,
    handler: (options: O, context: CliContext) => Promise<number>,
  ): Command =>
    command.action(async () => {
      exit(await handler(command.optsWithGlobals<O>(), context));
    });

  run<SeedDemoOptions>(
    program
      .command('seed-demo')
      .description(
        'send a realistic, deterministic demo history through the HTTP API of a running service (the same seed appends nothing twice)',
      )
      .option('--leads <n>', 'how many leads', integer, 200)
      .option(
        '--seed <seed>',
        'seed of the generator: lead ids and Idempotency-Keys derive from it',
        'demo',
      )
      .option('--url <url>', 'the service', `http://localhost:${context.env.PORT || 3000}`)
      .option('--token <token>', 'bearer token of a role that may send every command', 'dev-admin')
      .option(
        '--anchor <time>',
        'latest business time; the history spans ~6 months before it (default: the start of today, UTC)',
      )
      .option('--concurrency <n>', 'leads sent in parallel (each lead in order)', integer, 8)
      .option(
        '--simulate',
        'build the service in this process over an EMPTY log and record the history with a simulated clock: agreement versions 2-4, computed scores, breaches and remedies as they would have happened live (no running service needed)',
        false,
      )
      .option('--data-dir <dir>', 'with --simulate: the data directory to fill (default DATA_DIR)')
      .addOption(
        new Option('--format <format>', 'summary format').choices(['text', 'json']).default('text'),
      )
      .addHelpText(
        'after',
        '\nExamples:\n  npm run cli -- seed-demo --leads 2000 --seed demo\n  npm run cli -- seed-demo --simulate --data-dir ./demo-data && DATA_DIR=./demo-data npm start',
      ),
    seedDemoCommand,
  );

  const importer: Command = program
    .command('import')
    .description(
      'stream an NDJSON file of lead commands to POST /imports of a running service (README "Bulk import"); exit code 1 when any line was refused',
    )
    .argument('<file>', 'NDJSON: one {command, leadId, idempotencyKey, onBehalfOf?, body} a line')
    .option('--url <url>', 'the service', `http://localhost:${context.env.PORT || 3000}`)
    .option('--token <token>', 'an admin bearer token', 'dev-admin')
    .addOption(
      new Option('--format <format>', 'answer format').choices(['text', 'json']).default('text'),
    )
    .addHelpText('after', '\nExample: npm run cli -- import docs/examples/hubspot-leads.ndjson')
    .action(async (file: string) => {
      exit(await importCommand(file, importer.optsWithGlobals<ImportOptions>(), context));
    });

  run<AttributionOptions>(
    reportOptions(
      program
        .command('attribution')
        .description(
          'closed-loop attribution: converted revenue per campaign, channel or sourcing team',
        )
        .addOption(
          new Option('--model <model>', 'attribution model')
            .choices(attributionModels)
            .makeOptionMandatory(),
        )
        .addOption(
          new Option('--group-by <key>', 'what to group by')
            .choices(attributionGroupings)
            .default('campaign'),
        ),
    ).addHelpText(
      'after',
      '\nExample: npm run cli -- attribution --model w_shaped --group-by channel --as-of 2026-06-30T00:00:00Z',
    ),
    attributionCommand,
  );

  run<SlaOptions>(
    reportOptions(
      program
        .command('sla')
        .description(
          'sales response and follow-up SLA compliance, response times and marketing volume',
        )
        .addOption(
          new Option('--group-by <key>', 'what to group by').choices(slaGroupings).default('rep'),
        ),
    ),
    slaCommand,
  );

  run<QualityOptions>(
    reportOptions(
      program
        .command('quality')
        .description(
          "closed-loop lead quality: how sales answered marketing's handoffs (acceptance, rejection reasons, conversion, revenue)",
        )
        .addOption(
          new Option('--group-by <key>', 'what to group by')
            .choices(qualityGroupings)
            .default('campaign'),
        )
        .option(
          '--score-bands',
          'instead: acceptance and conversion by the score at handoff (0-19 … 80-100)',
          false,
        ),
    ).addHelpText(
      'after',
      '\nExamples: npm run cli -- quality --group-by channel\n          npm run cli -- quality --score-bands --from 2026-01-01',
    ),
    qualityCommand,
  );

  const scorecard: Command = reportOptions(
    program
      .command('scorecard')
      .description(
        "a team's scorecard: marketing per month against the agreement's targets, or sales per rep or month",
      )
      .addArgument(new Argument('<team>', 'whose scorecard').choices(scorecardTeams))
      .addOption(
        new Option('--group-by <key>', 'sales only: what to group by')
          .choices(salesScorecardGroupings)
          .default('rep'),
      ),
  )
    .addHelpText(
      'after',
      '\nExamples: npm run cli -- scorecard marketing --from 2026-01-01\n          npm run cli -- scorecard sales --group-by month --as-of 2026-06-30T23:59:59Z',
    )
    .action(async (team: ScorecardTeam) => {
      exit(await scorecardCommand(team, scorecard.optsWithGlobals<ScorecardOptions>(), context));
    });

  run<RebuildOptions>(
    program
      .command('rebuild')
      .description(
        'drop the read models and project the whole log again (stop the service and workers first)',
      ),
    rebuildCommand,
  );

  run<RetryParkedCommandOptions>(
    program
      .command('retry-parked')
      .description(
        're-project documents whose events a projection parked as poison, after the fix (stop the service and workers first); exit code 1 when any fails again',
      ),
    retryParkedCommand,
  );

  run<VerifyOptions>(
    program
      .command('verify')
      .description(
        'check the audit hash chain of every lead stream (or one); exit code 1 when any is broken',
      )
      .option('--lead <id>', 'only this lead')
      .addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
      ),
    verifyCommand,
  );

  run<ReplayOptions>(
    program
      .command('replay')
      .description('replay the log up to a point into memory and summarise what was known then')
      .requiredOption(
        '--to <point>',
        'position:<n> or an ISO time (what had been recorded by then)',
      )
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['table', 'json'])
          .default('table'),
      ),
    replayCommand,
  );

  addAgreementCommands(program, context, exit);

  return program;
};

// `agreement show|list|diff` read the log; `propose|sign|withdraw` go through the service's API
// with an explicit --token, whose actor the service records in the events.
const addAgreementCommands = (
  program: Command,
  context: CliContext,
  exit: (code: number) => void,
): void => {
  const agreement = program
    .command('agreement')
    .description(
      'the agreement between marketing and sales (DESIGN §10): show, list and diff its versions; propose, sign and withdraw through the API',
    );
  const textOrJson = () =>
    new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
  const api = (command: Command): Command =>
    command
      .option('--url <url>', 'the service', `http://localhost:${context.env.PORT || 3000}`)
      .addOption(
        new Option(
          '--token <token>',
          'bearer token of the manager acting (e.g. dev-marketing-manager): the service records its actor',
        ).makeOptionMandatory(),
      )
      .addOption(textOrJson());

  const show: Command = agreement
    .command('show')
    .description('one version: the one in force now (or at --at), or the one named')
    .argument('[version]', 'a version number', agreementVersion)
    .option('--at <time>', 'the version in force at this business time')
    .addOption(textOrJson())
    .action(async (version: number | undefined) => {
      exit(
        await agreementShowCommand(version, show.optsWithGlobals<AgreementShowOptions>(), context),
      );
    });

  const list: Command = agreement
    .command('list')
    .description('every version with its status, effective date, proposer and signatures')
    .addOption(
      new Option('--format <format>', 'output format').choices(outputFormats).default('table'),
    )
    .action(async () => {
      exit(await agreementListCommand(list.optsWithGlobals<AgreementListOptions>(), context));
    });

  const diff: Command = agreement
    .command('diff')
    .description('what changed in the terms between two versions: each path, old → new')
    .argument('<from>', 'a version number', agreementVersion)
    .argument('<to>', 'a version number', agreementVersion)
    .addOption(textOrJson())
    .action(async (from: number, to: number) => {
      exit(
        await agreementDiffCommand(from, to, diff.optsWithGlobals<AgreementDiffOptions>(), context),
      );
    });

  const propose: Command = api(
    agreement
      .command('propose')
      .description(
        'propose a new version from a JSON file {effectiveFrom, terms, note?}; the terms are checked first by the same validator as the service (field errors, exit code 1)',
      )
      .argument('<file>', 'the proposal as JSON')
      .option('--idempotency-key <key>', 'makes a retry safe: the same key proposes once'),
  ).action(async (file: string) => {
    exit(
      await agreementProposeCommand(
        file,
        propose.optsWithGlobals<AgreementProposeOptions>(),
        context,
      ),
    );
  });

  const sign: Command = api(
    agreement
      .command('sign')
      .description('sign a version for a team; it is approved once both teams signed')
      .argument('<version>', 'a version number', agreementVersion)
      .addOption(
        new Option(
          '--team <team>',
          'the team signing (an admin must name it; a manager signs for their own)',
        ).choices(['marketing', 'sales']),
      ),
  ).action(async (version: number) => {
    exit(
      await agreementSignCommand(version, sign.optsWithGlobals<AgreementSignOptions>(), context),
    );
  });

  const withdraw: Command = api(
    agreement
      .command('withdraw')
      .description('withdraw a version not yet approved')
      .argument('<version>', 'a version number', agreementVersion)
      .requiredOption('--reason <text>', 'why, recorded in the event'),
  ).action(async (version: number) => {
    exit(
      await agreementWithdrawCommand(
        version,
        withdraw.optsWithGlobals<AgreementWithdrawOptions>(),
        context,
      ),
    );
  });
};

/** Parses `args` (without node and script), runs the command, and returns the exit code. */
export const runCli = async (args: readonly string[], context: CliContext): Promise<number> => {
  let exitCode = 0;
  const program = buildProgram(context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return exitCode;
  } catch (error) {
    // commander has already printed its message (or the help)
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof CliError ? error.message : describeUnexpected(error);
    context.stderr.write(`error: ${message}\n`);
    return 1;
  }
};

const describeUnexpected = (error: unknown): string =>
  error instanceof Error
    ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
    : String(error);
