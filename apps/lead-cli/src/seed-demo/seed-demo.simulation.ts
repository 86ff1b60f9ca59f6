import { type StoredEvent, EventStore } from '@lead/event-store';
import type { LeadSummaryDoc } from '@lead/read-models';
import { ReadStore } from '@lead/read-models';
import { BackgroundWork, ConfigError, loadConfig, openEventStore } from '@lead/runtime';
// The one import of another app (allowed by .dependency-cruiser.js for this file): a simulation
// is the real service in-process, on a clock the simulation moves.
import { createApp } from '../../../lead-service/src/app';
import { CliError, type CliContext, writeLine } from '../shared/cli-context';
import { progressBar } from '../shared/progress';
import {
  type SimulationPlan,
  type SimulationRole,
  type SimulationStep,
  rejectedHandoff,
} from './seed-demo.simulation-plan';

const tokens: Record<SimulationRole, string> = {
  marketing: 'dev-marketing',
  marketing_manager: 'dev-marketing-manager',
  sales: 'dev-sales',
  sales_manager: 'dev-sales-manager',
};

class SimulatedClock {
  constructor(private current: Date) {}
  now(): Date {
    return this.current;
  }
  /** never backwards: a deadline pass and the next step may share an instant */
  set(time: number): void {
    if (time > this.current.getTime()) this.current = new Date(time);
  }
}

export type SimulationCounts = {
  events: Record<string, number>;
  remedies: { reassign: number; return_to_marketing: number; escalate: number };
  disputes: { upheld: number; overturned: number; open: number };
  versions: { version: number; status: string; effectiveFrom: string }[];
};

const simulationConfig = (context: CliContext, dataDir: string | undefined) => {
  const env: NodeJS.ProcessEnv = { ...context.env, ...(dataDir && { DATA_DIR: dataDir }) };
  if (env.NODE_ENV === 'production') {
    throw new CliError('--simulate uses the development tokens: not with NODE_ENV=production');
  }
  try {
    // no rate limit, the development tokens, the background work in this process, no broker
    return loadConfig({
      ...env,
      API_KEYS: '',
      RATE_LIMIT_PER_MINUTE: '0',
      BACKGROUND_WORK: 'true',
      KAFKA_BROKERS: '',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration: ${error.message}`);
    throw error;
  }
};

/**
 * Runs the plan through the real service built in this process over an empty log: each step is
 * an HTTP request through the whole pipeline (auth, validation, handlers) with the clock at the
 * step's business time, and the deadline watcher and the remedies run when the clock passes a
 * deadline, so everything is recorded as it would have been live.
 */
export const runSimulation = async (
  plan: SimulationPlan,
  options: { dataDir?: string; quiet: boolean },
  context: CliContext,
): Promise<{ dataDir: string; counts: SimulationCounts }> => {
  const config = simulationConfig(context, options.dataDir);
  const probe = await openEventStore(config, () => new Date());
  const head = await probe.headPosition().finally(() => probe.close());
  if (head > 0n) {
    throw new CliError(
      `the event log in ${config.dataDir} is not empty (head at position ${head}): --simulate records a whole history and needs an empty log; pass --data-dir <new directory>`,
    );
  }
  const start = Date.parse(plan.timeline[0]?.at ?? plan.anchor) - 60_000;
  const clock = new SimulatedClock(new Date(start));
  const app = await createApp({ config, clock });
  try {
    const background = app.get(BackgroundWork);
    // the simulation moves the clock and runs the automations itself, in business-time order
    await background.watcher.stop();
    await background.remedies.stop();
    const eventStore = app.get(EventStore);
    const readStore = app.get(ReadStore);

    // the projector follows the lead streams only: wait for the last lead event appended
    let scanned = 0n;
    let leadHead = 0n;
    const caughtUp = async (): Promise<void> => {
      for (;;) {
        const page = await eventStore.readAll({ after: scanned, limit: 1000 });
        if (page.length === 0) break;
        scanned = page[page.length - 1].position;
        for (const event of page) if (event.streamId.startsWith('lead-')) leadHead = event.position;
      }
      if (!(await background.projector.waitFor(leadHead, 60_000))) {
        throw new CliError(`the projections did not reach position ${leadHead}`);
      }
    };
    // the earliest deadline of a handoff still waiting for an answer and not yet alerted
    let nextDeadline: number | null | undefined;
    const earliestDeadline = async (): Promise<number | null> => {
      await caughtUp();
      const open = await readStore
        .collection<LeadSummaryDoc>('leads')
        .aggregate<{ dueAt: string }>([
          { $match: { stage: 'handed_off' } },
          { $unwind: '$handoffs' },
          { $match: { 'handoffs.response': null, 'handoffs.breachAlertedAt': null } },
          { $project: { _id: 0, dueAt: '$handoffs.dueAt' } },
        ]);
      return open.reduce<number | null>((min, { dueAt }) => {
        const time = Date.parse(dueAt);
        return min === null || time < min ? time : min;
      }, null);
    };
    const passDeadlines = async (until: number): Promise<void> => {
      for (;;) {
        nextDeadline ??= await earliestDeadline();
        if (nextDeadline === null || nextDeadline > until) return;
        // the watcher waits the grace period after a handoff was recorded
        clock.set(nextDeadline);
        await caughtUp();
        await background.watcher.check();
        await caughtUp();
        await background.remedies.check();
        nextDeadline = undefined;
      }
    };
    const resolvePath = async (step: SimulationStep): Promise<string> => {
      if (!step.path.includes(rejectedHandoff)) return step.path;
      const leadId = step.path.split('/')[2];
      const events = await eventStore.readStream<StoredEvent>(`lead-${leadId}`);
      const rejection = events.filter((event) => event.type === 'LeadRejected').at(-1);
      const handoffId = (rejection?.data as { handoffEventId?: string } | undefined)
        ?.handoffEventId;
      if (!handoffId) throw new CliError(`${step.command} ${leadId}: no rejected handoff`);
      return step.path.replace(rejectedHandoff, handoffId);
    };

    const progress = progressBar(context, {
      label: 'simulating',
      unit: 'steps',
      quiet: options.quiet,
    });
    progress.start(plan.timeline.length);
    try {
      for (const step of plan.timeline) {
        const at = Date.parse(step.at);
        await passDeadlines(at);
        clock.set(at);
        const url = await resolvePath(step);
        const response = await app.inject({
          method: 'POST',
          url,
          headers: {
            authorization: `Bearer ${tokens[step.role]}`,
            'content-type': 'application/json',
            'idempotency-key': step.idempotencyKey,
          },
          payload: JSON.stringify(step.body),
        });
        if (response.statusCode >= 300) {
          const problem = response.json<{ code?: string; detail?: string }>();
          throw new CliError(
            `${step.command} ${url} at ${step.at} was refused: HTTP ${response.statusCode} ${problem.code ?? ''}: ${problem.detail ?? ''}`,
          );
        }
        if (step.command === 'handoff') nextDeadline = undefined;
        progress.increment();
      }
      await passDeadlines(Date.parse(plan.anchor));
      await caughtUp();
    } finally {
      progress.stop();
    }
    return { dataDir: config.dataDir, counts: await countsOf(eventStore) };
  } finally {
    await app.close();
  }
};

const countsOf = async (eventStore: EventStore): Promise<SimulationCounts> => {
  const counts: SimulationCounts = {
    events: {},
    remedies: { reassign: 0, return_to_marketing: 0, escalate: 0 },
    disputes: { upheld: 0, overturned: 0, open: 0 },
    versions: [],
  };
  const versions = new Map<number, { effectiveFrom: string; signatures: number; status: string }>();
  const events: StoredEvent[] = [];
  for (let after: bigint | undefined; ;) {
    const page = await eventStore.readAll({ after, limit: 5000 });
    if (page.length === 0) break;
    events.push(...page);
    after = page[page.length - 1].position;
  }
  for (const event of events) {
    counts.events[event.type] = (counts.events[event.type] ?? 0) + 1;
    const data = event.data;
    if (event.type === 'LeadReassigned') counts.remedies.reassign += 1;
    if (event.type === 'LeadReturnedToMarketing') counts.remedies.return_to_marketing += 1;
    if (event.type === 'LeadSlaEscalated') counts.remedies.escalate += 1;
    if (event.type === 'LeadRejectionDisputed') counts.disputes.open += 1;
    if (event.type === 'LeadRejectionDisputeResolved') {
      counts.disputes.open -= 1;
      counts.disputes[data.outcome === 'overturned' ? 'overturned' : 'upheld'] += 1;
    }
    if (event.type === 'AgreementProposed') {
      versions.set(Number(data.version), {
        effectiveFrom: String(data.effectiveFrom),
        signatures: 0,
        status: 'proposed',
      });
    }
    if (event.type === 'AgreementSigned') {
      const version = versions.get(Number(data.version));
      if (version && ++version.signatures === 2) version.status = 'approved';
    }
  }
  counts.versions = [...versions].map(([version, { status, effectiveFrom }]) => ({
    version,
    status,
    effectiveFrom,
  }));
  counts.events = Object.fromEntries(
    Object.entries(counts.events).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return counts;
};

export const printSimulationCounts = (counts: SimulationCounts, context: CliContext): void => {
  const line = (text: string) => writeLine(context.stdout, text);
  line('  events');
  for (const [type, count] of Object.entries(counts.events))
    line(`    ${type.padEnd(30)} ${count}`);
  const { remedies, disputes } = counts;
  line(
    `  remedies     ${remedies.reassign} reassigned, ${remedies.return_to_marketing} returned to marketing, ${remedies.escalate} escalated`,
  );
  line(
    `  disputes     ${disputes.upheld} upheld, ${disputes.overturned} overturned, ${disputes.open} open`,
  );
  for (const version of counts.versions) {
    line(
      `  agreement    v${version.version} ${version.status}, effective from ${version.effectiveFrom}`,
    );
  }
};
