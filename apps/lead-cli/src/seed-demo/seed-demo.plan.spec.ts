import { type LeadCommand, type LeadPolicy, type LeadState, leadDecider } from '@lead/domain';
import { validate as validateUuid } from 'uuid';
import {
  type DemoLead,
  type DemoPlanOptions,
  type DemoStep,
  planDemo,
  summarisePlan,
} from './seed-demo.plan';

const options: DemoPlanOptions = {
  seed: 'spec',
  leads: 300,
  anchor: '2026-06-30T00:00:00.000Z',
  mqlThreshold: 60,
  slaMinutes: 1440,
};
const plan = planDemo(options);
const steps = plan.flatMap((lead) => lead.steps);
const day = 86_400_000;

const commandTypes = {
  capture: 'CaptureLead',
  engage: 'EngageLead',
  score: 'ScoreLead',
  handoff: 'HandOffLead',
  accept: 'AcceptLead',
  reject: 'RejectLead',
  convert: 'ConvertLead',
  lose: 'LoseLead',
} as const;

// What the service's controllers add to a request body (DESIGN §6): the lead id from the path,
// the actor as acceptedBy and the wall clock (here: the anchor).
const toCommand = (lead: DemoLead, step: DemoStep, policy: DemoPlanOptions): LeadCommand =>
  ({
    type: commandTypes[step.command],
    ...step.body,
    leadId: lead.leadId,
    now: policy.anchor,
    ...(step.command === 'capture' && { sourcedBy: step.body.sourcedBy ?? 'marketing' }),
    ...(step.command === 'accept' && { acceptedBy: 'admin-dev' }),
  }) as LeadCommand;

// The policy in force, as the service's command handler passes it to decide.
const policyOf = (options: DemoPlanOptions): LeadPolicy => ({
  mqlThreshold: options.mqlThreshold,
  slaPolicy: { id: 'demo', acceptWithinMinutes: options.slaMinutes },
});

// Runs a lead's plan through the real decider: any refusal (409 in the API) throws.
const replayThroughDomain = (lead: DemoLead, policy = options): LeadState =>
  lead.steps.reduce((state, step, index) => {
    const [event] = leadDecider.decide(toCommand(lead, step, policy), state, policyOf(policy));
    const metadata = { eventId: `${lead.index}-${index}`, occurredAt: step.body.occurredAt };
    return leadDecider.evolve(state, { ...event, metadata });
  }, leadDecider.initialState);

describe('the demo plan', () => {
  it('is a pure function of its options', () => {
    expect(planDemo(options)).toEqual(plan);
    expect(planDemo({ ...options, seed: 'other' })[0]).not.toEqual(plan[0]);
  });

  it('gives each lead its own generator: a smaller plan is a prefix of a larger one', () => {
    expect(planDemo({ ...options, leads: 40 })).toEqual(plan.slice(0, 40));
  });

  it('derives lead ids and Idempotency-Keys from the seed, all distinct', () => {
    const ids = plan.map((lead) => lead.leadId);
    expect(ids.every((id) => validateUuid(id))).toBe(true);
    expect(new Set(ids).size).toBe(plan.length);
    const keys = steps.map((step) => step.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((key) => /^[\x21-\x7e]{1,255}$/.test(key))).toBe(true);
    expect(plan[3].steps[0].idempotencyKey).toBe('seed-demo:spec:3:0');
  });

  it('keeps every business time at or before the anchor, over about six months, in order per lead', () => {
    const anchor = Date.parse(options.anchor);
    const times = steps.map((step) => Date.parse(step.body.occurredAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(anchor);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(anchor - 190 * day);
    expect(Math.min(...times)).toBeLessThan(anchor - 150 * day);
    for (const lead of plan) {
      const leadTimes = lead.steps.map((step) => Date.parse(step.body.occurredAt));
      expect(leadTimes).toEqual([...leadTimes].sort((a, b) => a - b));
      expect(lead.steps[0].command).toBe('capture');
      const prior = (lead.steps[0].body.priorTouches as { occurredAt: string }[]).map((touch) =>
        Date.parse(touch.occurredAt),
      );
      expect(prior.every((time) => time < leadTimes[0])).toBe(true);
    }
  });

  it('is a valid sequence of the domain transitions for every lead', () => {
    const finalStages = plan.map((lead) => replayThroughDomain(lead).stage);
    // every stage a lead can end in shows up
    expect(new Set(finalStages)).toEqual(
      new Set(['captured', 'mql', 'handed_off', 'nurturing', 'accepted', 'converted', 'lost']),
    );
  });

  it('covers what the reports need: overrides, late and unanswered handoffs, rejections, two currencies', () => {
    const summary = summarisePlan(plan, options.slaMinutes);
    expect(summary.leads).toBe(300);
    expect(summary.commands).toBe(steps.length);
    const { handoffs } = summary;
    expect(handoffs.onTime + handoffs.late + handoffs.unanswered).toBe(handoffs.total);
    expect(handoffs.onTime).toBeGreaterThan(handoffs.late);
    expect(handoffs.late).toBeGreaterThan(10);
    expect(handoffs.unanswered).toBeGreaterThan(10);
    expect(summary.overrides).toBeGreaterThan(3);
    expect(summary.rejections).toBeGreaterThan(10);
    expect(summary.losses).toBeGreaterThan(20);
    expect(summary.conversions.map((total) => total.currency)).toEqual(['EUR', 'USD']);
    for (const total of summary.conversions) {
      expect(total.conversions).toBeGreaterThan(5);
      expect(Number.isSafeInteger(total.amount)).toBe(true);
    }
    // re-handoffs after a rejection go to another rep, with a new SLA clock
    const rehandedOff = plan.filter(
      (lead) => lead.steps.filter((step) => step.command === 'handoff').length === 2,
    );
    expect(rehandedOff.length).toBeGreaterThan(5);
    for (const lead of rehandedOff) {
      const [first, second] = lead.steps.filter((step) => step.command === 'handoff');
      expect(second.body.toRep).not.toBe(first.body.toRep);
    }
    // scores on both sides of the threshold
    const scores = steps
      .filter((step) => step.command === 'score')
      .map((step) => Number(step.body.score));
    expect(scores.some((score) => score < options.mqlThreshold)).toBe(true);
    expect(scores.some((score) => score >= options.mqlThreshold)).toBe(true);
    // several reps and campaigns
    const reps = new Set(
      steps.filter((step) => step.command === 'handoff').map((step) => step.body.toRep),
    );
    expect(reps.size).toBeGreaterThanOrEqual(5);
  });

  it('follows the service policy: the MQL threshold in force and the SLA in force', () => {
    const strictPolicy = { ...options, leads: 150, mqlThreshold: 80 };
    const strict = planDemo(strictPolicy);
    // below 80 a handoff needs an override: the plan knows, so the domain accepts every step
    for (const lead of strict) replayThroughDomain(lead, strictPolicy);
    const scores = strict.flatMap((lead) => lead.steps).filter((step) => step.command === 'score');
    expect(
      scores.some((step) => Number(step.body.score) >= 60 && Number(step.body.score) < 80),
    ).toBe(true);

    // with a one-hour SLA, most responses still come within it and some after it
    const hurried = summarisePlan(planDemo({ ...options, leads: 150, slaMinutes: 60 }), 60);
    expect(hurried.handoffs.onTime).toBeGreaterThan(hurried.handoffs.late);
    expect(hurried.handoffs.late).toBeGreaterThan(0);
  });

  it('refuses a seed that could not be part of an Idempotency-Key', () => {
    expect(() => planDemo({ ...options, seed: 'with space' })).toThrow(/seed/);
  });
});
