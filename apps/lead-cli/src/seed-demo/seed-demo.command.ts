import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { cliConfig } from '../shared/cli-stores';
import { parseTime } from '../shared/business-range';
import { formatMoney, printJson } from '../shared/output-format';
import { progressBar } from '../shared/progress';
import {
  type DemoLead,
  type DemoStep,
  type PlanSummary,
  planDemo,
  seedPattern,
  summarisePlan,
} from './seed-demo.plan';
import { planSimulation } from './seed-demo.simulation-plan';
import {
  type SimulationCounts,
  printSimulationCounts,
  runSimulation,
} from './seed-demo.simulation';

export type SeedDemoOptions = {
  leads: number;
  seed: string;
  url: string;
  token: string;
  /** default: the start of today (UTC), so a re-run the same day or later sends the same plan */
  anchor?: string;
  concurrency: number;
  format: 'text' | 'json';
  quiet: boolean;
  simulate?: boolean;
  dataDir?: string;
};

export type SeedSummary = PlanSummary & {
  url: string;
  seed: string;
  anchor: string;
  /** commands whose event was appended now; null when the service does not report its log head */
  newEvents: number | null;
  /** commands answered from an earlier run (same Idempotency-Key): nothing appended */
  alreadyPresent: number | null;
  elapsedSeconds: number;
};

type CommandAnswer = { leadId: string; revision: number; position: string };

const requestTimeoutMs = 30_000;
const maxAttempts = 6;
const maxRateLimitedWaits = 100;
const retryableStatus = new Set([502, 503, 504]);

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describeFailure = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  return [error instanceof Error ? error.message : String(error), cause].filter(Boolean).join(': ');
};

const startOfUtcDay = (now: Date): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();

// The log head before seeding tells appended commands from replayed ones: a replay answers with
// the position of the event stored by the earlier run.
const logHead = async (url: string): Promise<bigint | null> => {
  let response: Response;
  try {
    response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch (error) {
    throw new CliError(
      `cannot reach the service at ${url} (${describeFailure(error)}); start it with \`npm start\` or pass --url`,
    );
  }
  const body = (await response.json().catch(() => null)) as {
    eventStore?: { head?: unknown };
    info?: { eventStore?: { head?: unknown } };
  } | null;
  const head = body?.eventStore?.head ?? body?.info?.eventStore?.head;
  return typeof head === 'string' && /^\d+$/.test(head) ? BigInt(head) : null;
};

/**
 * One command; safe to retry because the Idempotency-Key makes a repeat append nothing. A
 * rate-limited request (429) waits as long as the service asks and is not counted as a failure.
 */
const send = async (
  options: SeedDemoOptions,
  lead: DemoLead,
  step: DemoStep,
  onRateLimited: () => void,
): Promise<CommandAnswer> => {
  for (let failures = 0, limited = 0; ;) {
    let response: Response;
    try {
      response = await fetch(`${options.url}${step.path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/json',
          'idempotency-key': step.idempotencyKey,
        },
        body: JSON.stringify(step.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      if (++failures < maxAttempts) {
        await wait(200 * 2 ** failures);
        continue;
      }
      throw new CliError(`${step.command} ${lead.leadId}: ${describeFailure(error)}`);
    }
    if (response.ok) return (await response.json()) as CommandAnswer;
    const rateLimited = response.status === 429 && ++limited < maxRateLimitedWaits;
    if (rateLimited || (retryableStatus.has(response.status) && ++failures < maxAttempts)) {
      if (rateLimited) onRateLimited();
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.arrayBuffer();
      await wait(
        Number.isFinite(retryAfter) && retryAfter > 0
          ? retryAfter * 1000
          : 200 * 2 ** (failures + 1),
      );
      continue;
    }
    const problem = (await response.json().catch(() => null)) as {
      code?: string;
      detail?: string;
    } | null;
    throw new CliError(
      `${step.command} ${lead.leadId} (lead ${lead.index}, step ${lead.steps.indexOf(step)}) was refused: ` +
        `HTTP ${response.status}${problem?.code ? ` ${problem.code}` : ''}${problem?.detail ? `: ${problem.detail}` : ''}`,
    );
  }
};

// A fixed number of leads in flight; each lead's commands in order. The first failure stops
// every worker after its current request.
const forEachLead = async (
  plan: DemoLead[],
  concurrency: number,
  work: (lead: DemoLead) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const state: { failure: { error: unknown } | null } = { failure: null };
  const worker = async (): Promise<void> => {
    while (state.failure === null && next < plan.length) {
      const lead = plan[next++];
      try {
        await work(lead);
      } catch (error) {
        state.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.length) }, worker));
  if (state.failure) throw state.failure.error;
};

const validate = (options: SeedDemoOptions, now: Date): string => {
  if (!Number.isInteger(options.leads) || options.leads < 1 || options.leads > 1_000_000) {
    throw new CliError('--leads must be an integer between 1 and 1000000');
  }
  if (!seedPattern.test(options.seed)) {
    throw new CliError('--seed must be 1-64 letters, digits, dots, dashes or underscores');
  }
  if (
    !Number.isInteger(options.concurrency) ||
    options.concurrency < 1 ||
    options.concurrency > 64
  ) {
    throw new CliError('--concurrency must be an integer between 1 and 64');
  }
  if (!/^https?:\/\/[^/]+/.test(options.url))
    throw new CliError(`--url must be an http(s) URL, got "${options.url}"`);
  const anchor =
    options.anchor === undefined ? startOfUtcDay(now) : parseTime(options.anchor, '--anchor');
  // the API refuses business times in the future
  if (Date.parse(anchor) > now.getTime()) throw new CliError('--anchor must not be in the future');
  return anchor;
};

/**
 * Sends a realistic, deterministic demo history through the public HTTP API of a running
 * service, so its projections see it live.
 */
export const seedDemoCommand = async (
  options: SeedDemoOptions,
  context: CliContext,
): Promise<number> => {
  if (options.simulate) return simulateDemoCommand(options, context);
  const started = Date.now();
  const url = options.url.replace(/\/+$/, '');
  const anchor = validate({ ...options, url }, context.now());
  const config = cliConfig(context);
  const plan = planDemo({
    seed: options.seed,
    leads: options.leads,
    anchor,
    mqlThreshold: config.mqlThreshold,
    slaMinutes: config.slaAcceptWithinMinutes,
  });
  const planned = summarisePlan(plan, config.slaAcceptWithinMinutes);
  const headBefore = await logHead(url);
  let appended = 0;
  let rateLimitNoticed = false;
  const onRateLimited = (): void => {
    if (rateLimitNoticed) return;
    rateLimitNoticed = true;
    writeLine(
      context.stderr,
      '\nnote: the service rate-limits this token (HTTP 429), so seeding goes at its pace; ' +
        'for a fast demo load start the service with RATE_LIMIT_PER_MINUTE=0',
    );
  };
  const progress = progressBar(context, {
    label: 'seeding',
    unit: 'commands',
    quiet: options.quiet,
  });
  progress.start(planned.commands);
  try {
    await forEachLead(plan, options.concurrency, async (lead) => {
      for (const step of lead.steps) {
        const answer = await send({ ...options, url }, lead, step, onRateLimited);
        if (headBefore !== null && BigInt(answer.position) > headBefore) appended += 1;
        progress.increment();
      }
    });
  } finally {
    progress.stop();
  }
  const summary: SeedSummary = {
    url,
    seed: options.seed,
    anchor,
    ...planned,
    newEvents: headBefore === null ? null : appended,
    alreadyPresent: headBefore === null ? null : planned.commands - appended,
    elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
  };
  if (options.format === 'json') printJson(context, summary);
  else printSummary(summary, context);
  return 0;
};

const printSummary = (summary: SeedSummary, context: CliContext): void => {
  const line = (text: string) => writeLine(context.stdout, text);
  const { handoffs } = summary;
  line(
    `seeded ${summary.leads} leads (seed ${summary.seed}, business times up to ${summary.anchor}) through ${summary.url} in ${summary.elapsedSeconds}s`,
  );
  line(
    summary.newEvents === null
      ? `  events       ${summary.commands} commands sent`
      : `  events       ${summary.newEvents} appended, ${summary.alreadyPresent} already present (${summary.commands} commands)`,
  );
  line(
    `  handoffs     ${handoffs.total}: ${handoffs.onTime} answered on time, ${handoffs.late} late, ${handoffs.unanswered} unanswered; ${summary.overrides} below the threshold (override)`,
  );
  line(`  rejections   ${summary.rejections}`);
  line(
    `  conversions  ${
      summary.conversions
        .map(
          (total) =>
            `${total.currency} ${total.conversions} (${formatMoney(total.amount, total.currency)})`,
        )
        .join(', ') || 'none'
    }`,
  );
  line(`  losses       ${summary.losses}`);
};

export type SimulationSummary = {
  leads: number;
  seed: string;
  anchor: string;
  dataDir: string;
  steps: number;
  elapsedSeconds: number;
} & SimulationCounts;

/** seed-demo --simulate: the whole history recorded by the service in this process. */
const simulateDemoCommand = async (
  options: SeedDemoOptions,
  context: CliContext,
): Promise<number> => {
  const started = Date.now();
  const anchor = validate(options, context.now());
  const config = cliConfig(context);
  const plan = planSimulation({
    seed: options.seed,
    leads: options.leads,
    anchor,
    mqlThreshold: config.mqlThreshold,
    slaMinutes: config.slaAcceptWithinMinutes,
  });
  const { dataDir, counts } = await runSimulation(plan, options, context);
  const summary: SimulationSummary = {
    leads: options.leads,
    seed: options.seed,
    anchor,
    dataDir,
    steps: plan.timeline.length,
    elapsedSeconds: Math.round((Date.now() - started) / 100) / 10,
    ...counts,
  };
  if (options.format === 'json') {
    printJson(context, summary);
    return 0;
  }
  writeLine(
    context.stdout,
    `simulated ${summary.leads} leads (seed ${summary.seed}, business times up to ${anchor}) into ${dataDir} in ${summary.elapsedSeconds}s: ${summary.steps} requests`,
  );
  printSimulationCounts(counts, context);
  writeLine(context.stdout, `start the service on it: DATA_DIR=${dataDir} npm start`);
  return 0;
};
