import { validateAgreementTerms } from '@lead/domain';
import { type SimulationPlanOptions, planSimulation } from './seed-demo.simulation-plan';

const options: SimulationPlanOptions = {
  seed: 'spec',
  leads: 300,
  anchor: '2026-06-30T00:00:00.000Z',
  mqlThreshold: 60,
  slaMinutes: 1440,
};
const plan = planSimulation(options);
const steps = plan.leads.flatMap((lead) => lead.steps);
const day = 86_400_000;

// What must come before each command of a lead (DESIGN §3, §11), as commands of the plan.
const prerequisites: Record<string, string[]> = {
  engage: ['capture'],
  profile: ['capture'],
  score: ['capture'],
  handoff: ['capture'],
  accept: ['handoff'],
  reject: ['handoff'],
  dispute: ['reject'],
  resolve: ['dispute'],
  activity: ['accept'],
  qualify: ['accept'],
  convert: ['accept'],
  lose: ['capture'],
};

describe('the simulation plan', () => {
  it('is a pure function of its options', () => {
    expect(planSimulation(options)).toEqual(plan);
    expect(planSimulation({ ...options, seed: 'other' }).leads[0]).not.toEqual(plan.leads[0]);
  });

  it('gives each lead its own generator: a smaller plan is a prefix of a larger one', () => {
    expect(planSimulation({ ...options, leads: 40 }).leads).toEqual(plan.leads.slice(0, 40));
  });

  it('sends every step in business-time order, none after the anchor, keys distinct', () => {
    const times = plan.timeline.map((step) => Date.parse(step.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse(options.anchor));
    const keys = plan.timeline.map((step) => step.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.timeline).toHaveLength(steps.length + 7);
  });

  it('puts no step of a lead before its prerequisite', () => {
    for (const lead of plan.leads) {
      expect(lead.steps[0].command).toBe('capture');
      lead.steps.forEach((step, index) => {
        const before = lead.steps.slice(0, index).map((earlier) => earlier.command);
        for (const required of prerequisites[step.command] ?? []) {
          expect(before).toContain(required);
        }
        if (index > 0) expect(step.at >= lead.steps[index - 1].at).toBe(true);
        expect(step.body.occurredAt).toBe(step.at);
      });
    }
  });

  it('signs version 2 halfway and version 3 later, leaves version 4 proposed; all terms valid', () => {
    const anchor = Date.parse(options.anchor);
    const [v1, v2, v3, v4] = plan.versions;
    expect(v1).toMatchObject({ version: 1, signed: true });
    for (const version of [v2, v3, v4]) {
      expect(validateAgreementTerms(version.terms)).toEqual([]);
      expect(version.effectiveFrom >= version.proposedAt).toBe(true);
    }
    expect(Date.parse(v2.effectiveFrom)).toBeGreaterThan(anchor - 100 * day);
    expect(Date.parse(v2.effectiveFrom)).toBeLessThan(anchor - 80 * day);
    expect(v3.signed).toBe(true);
    expect(v4.signed).toBe(false);
    expect(v2.terms.scoring.source).toBe('rules');
    expect(v2.terms.pilot?.remedy?.onResponseBreach).toBe('return_to_marketing');
    expect(v3.terms.pilot?.remedy?.onResponseBreach).toBe('escalate');
    expect(v2.terms.remedy?.onResponseBreach).toBe('reassign');
    const commands = plan.timeline.filter((step) => step.path.startsWith('/agreements'));
    expect(commands.map((step) => [step.command, step.role])).toEqual([
      ['propose', 'marketing_manager'],
      ['sign', 'marketing_manager'],
      ['sign', 'sales_manager'],
      ['propose', 'marketing_manager'],
      ['sign', 'marketing_manager'],
      ['sign', 'sales_manager'],
      ['propose', 'marketing_manager'],
    ]);
  });

  it('sends no score while the system scores by rules', () => {
    const rulesFrom = Date.parse(plan.versions[1].effectiveFrom);
    const scores = steps.filter((step) => step.command === 'score');
    expect(scores.length).toBeGreaterThan(50);
    expect(scores.every((step) => Date.parse(step.at) < rulesFrom)).toBe(true);
  });

  it('at 300 leads has every remedy kind, disputes of both outcomes, profiles, activities and SQLs', () => {
    const remedies = plan.leads.flatMap((lead) => lead.remedies);
    for (const kind of ['reassign', 'return_to_marketing', 'escalate'] as const) {
      expect(remedies.filter((remedy) => remedy === kind).length).toBeGreaterThan(0);
    }
    const outcomes = steps
      .filter((step) => step.command === 'resolve')
      .map((step) => step.body.outcome);
    expect(new Set(outcomes)).toEqual(new Set(['upheld', 'overturned']));
    expect(steps.filter((step) => step.command === 'resolve')[0].role).toBe('sales_manager');
    expect(steps.filter((step) => step.command === 'profile').length).toBeGreaterThan(20);
    expect(steps.find((step) => step.command === 'capture')?.body).toMatchObject({
      title: expect.any(String),
      industry: expect.any(String),
      country: expect.stringMatching(/^[A-Z]{2}$/),
      employees: expect.any(Number),
    });
    const activities = steps.filter((step) => step.command === 'activity');
    expect(new Set(activities.map((step) => step.body.kind)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(activities.map((step) => step.body.outcome)).size).toBeGreaterThanOrEqual(4);
    expect(steps.filter((step) => step.command === 'qualify').length).toBeGreaterThan(20);
  });

  it('refuses a seed that could not be part of an Idempotency-Key', () => {
    expect(() => planSimulation({ ...options, seed: 'with space' })).toThrow(/seed/);
  });
});
