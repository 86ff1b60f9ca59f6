import { v5 as uuidv5 } from 'uuid';
import {
  type AgreementTerms,
  type BusinessHours,
  type RemedyTerms,
  type ScoringEngagement,
  type ScoringProfile,
  businessDueAt,
  computeLeadScore,
  nextRepInPool,
} from '@lead/domain';
import { mulberry32 } from '@lead/runtime';
import {
  type Random,
  ascii,
  campaigns,
  companies,
  dealLossReasons,
  firstNames,
  hash32,
  lastNames,
  leadIdNamespace,
  randomFrom,
  rejectionReasons,
  reps,
  scoreReasons,
  seedPattern,
} from './seed-demo.plan';

// The demo history for `seed-demo --simulate`: every step of marketing, sales and their managers
// with the business time at which the simulated clock sends it. It is a pure function of its
// options and it predicts what the service's automations will do (computed scores, deadlines,
// remedies) with the domain's own functions, so every step it plans is one the service accepts.
// Each lead draws from its own generator: the plan for 100 leads is a prefix of the one for 2000.

export type SimulationRole = 'marketing' | 'marketing_manager' | 'sales' | 'sales_manager';

export type SimulationCommand =
  | 'propose'
  | 'sign'
  | 'capture'
  | 'engage'
  | 'profile'
  | 'score'
  | 'handoff'
  | 'accept'
  | 'reject'
  | 'dispute'
  | 'resolve'
  | 'activity'
  | 'qualify'
  | 'convert'
  | 'lose';

/** Where a path names the rejected handoff, whose event id only the service knows. */
export const rejectedHandoff = ':rejected-handoff';

export type SimulationStep = {
  command: SimulationCommand;
  role: SimulationRole;
  /** business time; the simulated clock stands here when the step is sent */
  at: string;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey: string;
};

/** What the plan expects the automations to do after a step of its lead. */
export type PredictedRemedy = 'reassign' | 'return_to_marketing' | 'escalate';

export type SimulationLead = {
  index: number;
  leadId: string;
  steps: SimulationStep[];
  remedies: PredictedRemedy[];
};

export type PlannedVersion = {
  version: number;
  proposedAt: string;
  effectiveFrom: string;
  /** false: left proposed, for a what-if */
  signed: boolean;
  note: string;
  terms: AgreementTerms;
};

export type SimulationPlan = {
  anchor: string;
  versions: PlannedVersion[];
  leads: SimulationLead[];
  /** every step of every lead and of the managers, in business-time order */
  timeline: SimulationStep[];
};

export type SimulationPlanOptions = {
  seed: string;
  leads: number;
  anchor: string;
  /** the founding version's terms, from the service configuration */
  mqlThreshold: number;
  slaMinutes: number;
};

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const historyDays = 182;

const titles = [
  ['VP Marketing', 8],
  ['Head of Sales Operations', 8],
  ['Director of IT', 7],
  ['Chief Revenue Officer', 4],
  ['Marketing Manager', 14],
  ['Software Engineer', 14],
  ['Data Analyst', 10],
  ['Founder', 6],
  ['Procurement Specialist', 9],
  ['Student', 5],
] as const;
const industries = [
  ['software', 25],
  ['fintech', 12],
  ['logistics', 12],
  ['retail', 15],
  ['manufacturing', 16],
  ['healthcare', 10],
  ['education', 10],
] as const;
const countries = [
  ['DE', 30],
  ['AT', 8],
  ['CH', 7],
  ['GB', 14],
  ['FR', 10],
  ['NL', 8],
  ['US', 18],
  ['ES', 5],
] as const;
const employeeCounts = [5, 12, 40, 85, 150, 320, 750, 2000, 8000] as const;
const activityKinds = [
  ['call', 45],
  ['email', 35],
  ['meeting', 10],
  ['social', 10],
] as const;
const outcomesByKind: Record<string, (readonly [string, number])[]> = {
  call: [
    ['connected', 35],
    ['no_answer', 40],
    ['left_message', 25],
  ],
  email: [
    ['replied', 30],
    ['other', 55],
    ['bounced', 15],
  ],
  meeting: [['connected', 1]],
  social: [
    ['replied', 40],
    ['other', 60],
  ],
};

// Both managers' terms from the middle of the history: the system scores, sales answers within
// business hours in Berlin, follows up three times, and a breach has a remedy; a pilot of the two
// slowest reps tries a shorter clock with another remedy.
const businessHours = (anchor: number): BusinessHours => {
  const year = new Date(anchor).getUTCFullYear();
  const fixed = ['01-01', '05-01', '10-03', '12-25', '12-26'];
  return {
    timeZone: 'Europe/Berlin',
    days: [1, 2, 3, 4, 5],
    from: '09:00',
    to: '17:00',
    holidays: [year - 1, year].flatMap((y) => fixed.map((date) => `${y}-${date}`)),
  };
};

const pilotReps = ['rep-chen', 'rep-eli'];
const reassignPool = ['rep-ana', 'rep-ben', 'rep-dara', 'rep-fay'];

const rulesTerms = (options: SimulationPlanOptions, anchor: number, pilotRemedy: RemedyTerms) => {
  const hours = businessHours(anchor);
  return {
    qualification: { mqlThreshold: Math.min(100, options.mqlThreshold + 5) },
    scoring: {
      source: 'rules',
      fit: [
        {
          rule: 'senior-title',
          field: 'title',
          points: 25,
          containsAny: ['vp', 'head of', 'director', 'chief', 'founder'],
        },
        {
          rule: 'target-industry',
          field: 'industry',
          points: 15,
          in: ['software', 'fintech', 'logistics'],
        },
        { rule: 'mid-market', field: 'employees', points: 15, min: 150 },
        { rule: 'too-small', field: 'employees', points: -15, max: 12 },
        { rule: 'dach', field: 'country', points: 10, in: ['DE', 'AT', 'CH'] },
        { rule: 'student', field: 'title', points: -30, equals: 'Student' },
      ],
      engagement: [
        { rule: 'captured', kind: 'captured', points: 10 },
        { rule: 'demo-request', kind: 'demo_request', points: 35, max: 35 },
        { rule: 'webinar', kind: 'webinar', points: 15, max: 30 },
        { rule: 'event', kind: 'event', points: 15, max: 30 },
        { rule: 'content', kind: 'content_download', points: 8, max: 24 },
        { rule: 'ad-click', kind: 'ad_click', points: 4, max: 12 },
        { rule: 'email-click', kind: 'email_click', points: 5, max: 15 },
      ],
      decayHalfLifeDays: 30,
    },
    salesResponse: { acceptWithinMinutes: 480, businessHours: hours },
    salesFollowUp: { attempts: 3, withinHours: 72 },
    marketing: {
      mqlsPerMonth: Math.max(1, Math.round(options.leads / 12)),
      minAcceptanceRate: 0.75,
    },
    remedy: { onResponseBreach: 'reassign', repPool: reassignPool },
    pilot: {
      reps: pilotReps,
      salesResponse: { acceptWithinMinutes: 240, businessHours: hours },
      remedy: pilotRemedy,
    },
  } satisfies AgreementTerms;
};

const isoAt = (time: number): string => new Date(time).toISOString();
const startOfDay = (time: number): number => time - (time % day);

// v2 halfway (the pilot returns breached leads to marketing), v3 three quarters in (the pilot's
// second phase escalates instead: one pilot section per version, so every remedy kind needs two
// approved versions), v4 proposed on the last day and never signed: a what-if candidate.
export const plannedVersions = (options: SimulationPlanOptions): PlannedVersion[] => {
  const anchor = Date.parse(options.anchor);
  const v2Proposed = startOfDay(anchor - 92 * day) + 10 * hour;
  const v3Proposed = startOfDay(anchor - 46 * day) + 10 * hour;
  const v4Proposed = startOfDay(anchor - 2 * day) + 10 * hour;
  const v2 = rulesTerms(options, anchor, { onResponseBreach: 'return_to_marketing' });
  const v3 = {
    ...v2,
    pilot: {
      ...v2.pilot,
      salesResponse: { ...v2.pilot.salesResponse, acceptWithinMinutes: 180 },
      remedy: { onResponseBreach: 'escalate', escalateTo: 'vp-sales' },
    },
  } satisfies AgreementTerms;
  const { pilot: _pilot, ...v4Base } = v3;
  const v4 = {
    ...v4Base,
    salesResponse: { ...v3.salesResponse, acceptWithinMinutes: 120 },
  } satisfies AgreementTerms;
  return [
    {
      version: 1,
      proposedAt: '1970-01-01T00:00:00.000Z',
      effectiveFrom: '1970-01-01T00:00:00.000Z',
      signed: true,
      note: 'founding',
      terms: {
        qualification: { mqlThreshold: options.mqlThreshold },
        scoring: { source: 'external' },
        salesResponse: { acceptWithinMinutes: options.slaMinutes },
        marketing: { mqlsPerMonth: 100 },
      },
    },
    {
      version: 2,
      proposedAt: isoAt(v2Proposed),
      effectiveFrom: isoAt(startOfDay(v2Proposed) + 7 * day),
      signed: true,
      note: 'rules-based scoring, business hours, follow-ups, reassignment; pilot for rep-chen and rep-eli',
      terms: v2,
    },
    {
      version: 3,
      proposedAt: isoAt(v3Proposed),
      effectiveFrom: isoAt(startOfDay(v3Proposed) + 5 * day),
      signed: true,
      note: 'pilot phase 2: three business hours, escalation to vp-sales',
      terms: v3,
    },
    {
      version: 4,
      proposedAt: isoAt(v4Proposed),
      effectiveFrom: isoAt(startOfDay(anchor) + 14 * day),
      signed: false,
      note: 'proposal: two business hours for everyone, no pilot',
      terms: v4,
    },
  ];
};

const inForceAt = (versions: PlannedVersion[], time: number): PlannedVersion =>
  versions
    .filter((version) => version.signed && Date.parse(version.effectiveFrom) <= time)
    .reduce((best, version) =>
      Date.parse(version.effectiveFrom) >= Date.parse(best.effectiveFrom) ? version : best,
    );

const agreementSteps = (options: SimulationPlanOptions, versions: PlannedVersion[]) =>
  versions
    .filter((version) => version.version > 1)
    .flatMap(({ version, proposedAt, effectiveFrom, terms, note, signed }) => {
      const proposed = Date.parse(proposedAt);
      const key = (n: number) => `seed-demo:${options.seed}:agreement:${version}:${n}`;
      const steps: SimulationStep[] = [
        {
          command: 'propose',
          role: 'marketing_manager',
          at: proposedAt,
          path: '/agreements',
          body: { effectiveFrom, terms, note },
          idempotencyKey: key(0),
        },
      ];
      if (!signed) return steps;
      return [
        ...steps,
        ...(['marketing_manager', 'sales_manager'] as const).map((role, n) => ({
          command: 'sign' as const,
          role,
          at: isoAt(proposed + (n === 0 ? 2 * hour : day)),
          path: `/agreements/${version}/sign`,
          body: {},
          idempotencyKey: key(n + 1),
        })),
      ];
    });

type ResponseTerms = { minutes: number; hours?: BusinessHours; remedy?: RemedyTerms };

const responseTermsAt = (versions: PlannedVersion[], time: number, rep: string): ResponseTerms => {
  const { terms } = inForceAt(versions, time);
  const pilot = terms.pilot?.reps.includes(rep) ? terms.pilot : undefined;
  const response = pilot?.salesResponse ?? terms.salesResponse;
  return {
    minutes: response.acceptWithinMinutes,
    hours: response.businessHours,
    remedy: pilot?.remedy ?? terms.remedy,
  };
};

const dueOf = (terms: ResponseTerms, from: number): number =>
  terms.hours
    ? Date.parse(businessDueAt(isoAt(from), terms.minutes, terms.hours))
    : from + terms.minutes * minute;

const planLead = (
  options: SimulationPlanOptions,
  versions: PlannedVersion[],
  index: number,
): SimulationLead => {
  const random: Random = randomFrom(mulberry32(hash32(`${options.seed}:simulation:${index}`)));
  const leadId = uuidv5(`seed-demo:${options.seed}:${index}`, leadIdNamespace);
  const anchor = Date.parse(options.anchor);
  const steps: SimulationStep[] = [];
  const remedies: PredictedRemedy[] = [];
  const lead = `/leads/${leadId}`;
  const add = (
    command: SimulationCommand,
    role: SimulationRole,
    time: number,
    path: string,
    body: Record<string, unknown> = {},
  ): void => {
    steps.push({
      command,
      role,
      at: isoAt(time),
      path,
      body: { ...body, occurredAt: isoAt(time) },
      idempotencyKey: `seed-demo:${options.seed}:${index}:${steps.length}`,
    });
  };
  // whole seconds, as the API's times are compared
  const later = (time: number, minMs: number, maxMs: number): number =>
    Math.round((time + random.between(minMs, maxMs)) / second) * second;

  // The scorer's view of the lead, so the plan knows when a handoff needs an override.
  const profile: ScoringProfile = {};
  const engagements: ScoringEngagement[] = [];
  let qualified = false;
  const rescore = (time: number): void => {
    const { terms } = inForceAt(versions, time);
    if (terms.scoring.source !== 'rules') return;
    const { score } = computeLeadScore(terms.scoring, profile, engagements, isoAt(time));
    qualified = score >= terms.qualification.mqlThreshold;
  };
  const underRules = (time: number) => inForceAt(versions, time).terms.scoring.source === 'rules';

  // capture, with its profile and the touches that came before it
  let time =
    Math.round((anchor - random.between(30 * minute, historyDays * day)) / second) * second;
  const source = random.weighted(campaigns);
  const priorTouches = Array.from(
    {
      length: random.weighted([
        [0, 45],
        [1, 30],
        [2, 17],
        [3, 8],
      ]),
    },
    () => {
      const { campaignId, channel } = random.weighted(campaigns);
      return { campaignId, channel, at: time - Math.round(random.between(hour, 60 * day)) };
    },
  )
    .sort((a, b) => a.at - b.at)
    .map(({ campaignId, channel, at }) => ({
      campaignId,
      channel,
      occurredAt: isoAt(Math.floor(at / second) * second),
    }));
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const [company, domain] = random.pick(companies);
  const email = `${ascii(first)}.${ascii(last)}.${index}@${domain}`;
  Object.assign(profile, {
    email,
    company,
    title: random.weighted(titles),
    industry: random.weighted(industries),
    country: random.weighted(countries),
    employees: random.pick(employeeCounts),
  });
  const sourcedBy =
    source.channel === 'partner' ? 'partner' : random.chance(0.18) ? 'sales' : 'marketing';
  add('capture', sourcedBy === 'sales' ? 'sales' : 'marketing', time, '/leads', {
    leadId,
    email,
    name: `${first} ${last}`,
    company,
    title: profile.title,
    industry: profile.industry,
    country: profile.country,
    employees: profile.employees,
    source: { campaignId: source.campaignId, channel: source.channel },
    sourcedBy,
    priorTouches,
  });
  engagements.push({ kind: 'captured', occurredAt: isoAt(time) });
  rescore(time);

  const engage = (kind?: string): void => {
    const campaign = random.chance(0.4) ? source : random.weighted(campaigns);
    time = later(time, 30 * minute, 9 * day);
    const engagedKind = kind ?? (random.chance(0.08) ? 'demo_request' : campaign.kind);
    add('engage', 'marketing', time, `${lead}/engagements`, {
      campaignId: campaign.campaignId,
      channel: campaign.channel,
      kind: engagedKind,
    });
    engagements.push({ kind: engagedKind, occurredAt: isoAt(time) });
    rescore(time);
  };
  const engagementCount = random.weighted([
    [0, 20],
    [1, 30],
    [2, 25],
    [3, 15],
    [4, 10],
  ]);
  for (let n = 0; n < engagementCount; n++) engage();

  // some profiles change: a promotion, or the company was sized wrongly at capture
  if (random.chance(0.25)) {
    time = later(time, hour, 10 * day);
    const update = random.chance(0.5)
      ? { title: profile.title === 'VP Marketing' ? 'Chief Marketing Officer' : 'VP Marketing' }
      : { employees: profile.employees === 750 ? 2000 : 750 };
    add('profile', random.chance(0.7) ? 'marketing' : 'sales', time, `${lead}/profile`, update);
    Object.assign(profile, update);
    rescore(time);
  }

  const externalScore = (warm: boolean): void => {
    const threshold = options.mqlThreshold;
    const score =
      warm || threshold === 0
        ? random.int(threshold, 100)
        : random.int(Math.max(0, threshold - 45), threshold - 1);
    add('score', 'marketing', time, `${lead}/score`, {
      score,
      reasons: scoreReasons(random, score),
      model: 'fit-and-intent@2',
    });
    qualified = score >= threshold;
  };

  // qualification: under the founding terms marketing sends a score; under rules the system has
  // scored every fact already
  time = later(time, 5 * minute, 2 * day);
  if (!underRules(time)) externalScore(random.chance(0.62));
  const remedyTimes: number[] = [];
  const done = (): SimulationLead => ({
    index,
    leadId,
    steps: cutAt(steps, anchor),
    remedies: remedies.filter((_, n) => remedyTimes[n] <= anchor),
  });
  const lose = (
    role: SimulationRole,
    minMs: number,
    maxMs: number,
    reason: string,
    note?: string,
  ) => {
    time = later(time, minMs, maxMs);
    add('lose', role, time, `${lead}/lose`, { reason, ...(note && { note }) });
  };

  let override: { reason: string } | undefined;
  if (!qualified) {
    const fate = random.weighted([
      ['warms_up', 35],
      ['override', 12],
      ['lost', 30],
      ['stays', 23],
    ]);
    if (fate === 'stays') return done();
    if (fate === 'lost') {
      lose('marketing', 3 * day, 45 * day, 'unqualified', 'never reached the MQL threshold');
      return done();
    }
    if (fate === 'warms_up') {
      engage('demo_request');
      time = later(time, 10 * minute, day);
      if (!underRules(time)) externalScore(true);
    }
    if (!qualified) override = { reason: 'requested by the account executive' };
  }

  // handoffs: the first, and after a rejection or a return to marketing perhaps another
  let previousRep: string | null = null;
  for (let round = 1; round <= 3; round++) {
    const rep = random.pick(reps.filter((candidate) => candidate.id !== previousRep));
    previousRep = rep.id;
    time = later(
      time,
      ...random.weighted<[number, number]>([
        [[5 * minute, 2 * hour], 50],
        [[2 * hour, day], 35],
        [[day, 6 * day], 15],
      ]),
    );
    if (!qualified) override ??= { reason: 'requested by the account executive' };
    add('handoff', 'marketing', time, `${lead}/handoff`, {
      toRep: rep.id,
      ...(override && { override }),
      ...(random.chance(0.3) && { note: 'asked for a demo next week' }),
    });
    const terms = responseTermsAt(versions, time, rep.id);
    const due = dueOf(terms, time);
    const window = due - time;
    const response = random.weighted([
      ['on_time', rep.onTime],
      ['late', rep.late],
      ['never', 1 - rep.onTime - rep.late],
    ]);
    // on time: at least a minute before the deadline; late: at least a quarter hour after it
    let answeredAt: number | null =
      response === 'on_time'
        ? Math.min(later(time, 3 * minute, 0.9 * window), due - minute)
        : response === 'late'
          ? later(due, 15 * minute, 3 * window)
          : null;
    const remedy = terms.remedy?.onResponseBreach;
    if ((answeredAt === null || answeredAt > due) && remedy && remedy !== 'none') {
      remedies.push(remedy);
      remedyTimes.push(due);
      if (remedy === 'reassign') {
        // the next rep of the pool gets a new clock from the breach, and answers in time
        const nextDue = dueOf(terms, due);
        previousRep = nextRepInPool(terms.remedy?.repPool ?? [], rep.id);
        answeredAt = Math.min(later(due, 3 * minute, 0.8 * (nextDue - due)), nextDue - minute);
      } else if (remedy === 'return_to_marketing') {
        time = due;
        if (round < 3 && random.chance(0.6)) {
          engage();
          continue;
        }
        if (random.chance(0.5)) lose('marketing', 5 * day, 30 * day, 'nurture_exhausted');
        return done();
      }
    }
    if (answeredAt === null) {
      if (random.chance(0.4))
        lose('sales', 15 * day, 40 * day, 'no_response', 'sales never followed up');
      return done();
    }
    time = answeredAt;
    if (random.chance(round === 1 ? 0.2 : 0.1)) {
      const reason = random.weighted(rejectionReasons);
      add('reject', 'sales', time, `${lead}/reject`, {
        reason,
        ...(reason === 'other' && { note: 'already a customer of a partner' }),
      });
      let overturned = false;
      if (random.chance(0.45)) {
        // marketing disputes the rejection; the sales manager rules
        time = later(time, 2 * hour, 3 * day);
        add('dispute', 'marketing', time, `${lead}/rejections/${rejectedHandoff}/dispute`, {
          reason: 'the lead matches the agreed profile and asked for a demo',
        });
        overturned = random.chance(0.45);
        time = later(time, 4 * hour, 5 * day);
        add('resolve', 'sales_manager', time, `${lead}/rejections/${rejectedHandoff}/resolve`, {
          outcome: overturned ? 'overturned' : 'upheld',
          note: overturned ? 'a fit by the agreed definition' : 'the rejection stands',
        });
      }
      if (round < 3 && (overturned || random.chance(0.5))) {
        // nurtured, then handed off again with a new SLA clock
        engage();
        time = later(time, day, 20 * day);
        if (!underRules(time)) externalScore(true);
        override = undefined;
        continue;
      }
      if (random.chance(0.45)) lose('marketing', 10 * day, 60 * day, 'nurture_exhausted');
      return done();
    }
    add('accept', 'sales', time, `${lead}/accept`);
    const acceptedAt = time;
    planFollowUp(random, acceptedAt, (at, body) => {
      time = at;
      add('activity', 'sales', at, `${lead}/activities`, body);
    });
    const outcome = random.weighted([
      ['converted', 50],
      ['lost', 30],
      ['open', 20],
    ]);
    if (random.chance(outcome === 'converted' ? 0.7 : outcome === 'lost' ? 0.3 : 0.25)) {
      time = later(time, day, 10 * day);
      add('qualify', 'sales', time, `${lead}/qualify`, {
        opportunityId: `opp-${leadId.slice(0, 8)}`,
        estimatedAmount: random.int(4, 300) * 50_000,
        currency: 'USD',
      });
    }
    if (outcome === 'converted') {
      time = later(time, 7 * day, 75 * day);
      add('convert', 'sales', time, `${lead}/convert`, {
        amount: random.int(4, 300) * 50_000,
        currency: random.chance(0.32) ? 'EUR' : 'USD',
        opportunityId: `opp-${leadId.slice(0, 8)}`,
      });
    } else if (outcome === 'lost') {
      lose('sales', 5 * day, 60 * day, random.pick(dealLossReasons));
    }
    return done();
  }
  return done();
};

// Outreach after an acceptance: most leads are worked well (three or more attempts within three
// days), some get too few attempts, some none.
const planFollowUp = (
  random: Random,
  acceptedAt: number,
  log: (at: number, body: Record<string, unknown>) => void,
): void => {
  const attempts = random.weighted([
    [random.int(3, 5), 55],
    [random.int(1, 2), 30],
    [0, 15],
  ]);
  let time = acceptedAt;
  for (let n = 0; n < attempts; n++) {
    time = Math.round((time + random.between(2 * hour, 20 * hour)) / second) * second;
    const kind = random.weighted(activityKinds);
    log(time, { kind, outcome: random.weighted(outcomesByKind[kind]) });
  }
};

// What has not happened by the anchor is not sent: recent leads are still in progress.
const cutAt = (steps: SimulationStep[], anchor: number): SimulationStep[] => {
  const future = steps.findIndex((step) => Date.parse(step.at) > anchor);
  return future === -1 ? steps : steps.slice(0, future);
};

export const planSimulation = (options: SimulationPlanOptions): SimulationPlan => {
  if (!seedPattern.test(options.seed)) {
    throw new Error('the seed must be 1-64 letters, digits, dots, dashes or underscores');
  }
  const versions = plannedVersions(options);
  const leads = Array.from({ length: options.leads }, (_, index) =>
    planLead(options, versions, index),
  );
  // managers first at equal times, then leads by index, each lead in its own order
  const timeline = [
    ...agreementSteps(options, versions).map((step, order) => ({ step, lead: -1, order })),
    ...leads.flatMap((lead) =>
      lead.steps.map((step, order) => ({ step, lead: lead.index, order })),
    ),
  ]
    .sort(
      (a, b) =>
        Date.parse(a.step.at) - Date.parse(b.step.at) || a.lead - b.lead || a.order - b.order,
    )
    .map(({ step }) => step);
  return { anchor: options.anchor, versions, leads, timeline };
};
