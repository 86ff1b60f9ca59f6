import { v5 as uuidv5 } from 'uuid';
import { mulberry32 } from '@lead/runtime';

// The demo history as a list of HTTP commands, a pure function of its options: the same seed
// gives the same leads, bodies, business times and Idempotency-Keys, so sending a plan twice
// appends nothing the second time. Each lead draws from its own generator, so the plan for
// 100 leads is the first 100 leads of the plan for 2000.

export type DemoCommand =
  'capture' | 'engage' | 'score' | 'handoff' | 'accept' | 'reject' | 'convert' | 'lose';

export type DemoStep = {
  command: DemoCommand;
  /** POST path of the public API */
  path: string;
  body: Record<string, unknown> & { occurredAt: string };
  idempotencyKey: string;
};

export type DemoLead = { index: number; leadId: string; steps: DemoStep[] };

export type DemoPlanOptions = {
  seed: string;
  leads: number;
  /** every business time is at or before it; the history spans about six months before it */
  anchor: string;
  /** the service's MQL_THRESHOLD: decides which scores qualify and which handoffs need an override */
  mqlThreshold: number;
  /** the service's SLA_ACCEPT_WITHIN_MINUTES: decides which responses are on time */
  slaMinutes: number;
};

export const seedPattern = /^[A-Za-z0-9._-]{1,64}$/;

export const leadIdNamespace = '9b0f6f2e-6a43-4c1b-9a57-5d1f0c7e2a61';
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const historyDays = 182;

// FNV-1a: turns "seed:index" into a 32-bit generator seed.
export const hash32 = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
};

export type Random = {
  chance(probability: number): boolean;
  int(min: number, max: number): number;
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
};

export const randomFrom = (next: () => number): Random => {
  const random: Random = {
    chance: (probability) => next() < probability,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (entries) => {
      let roll = next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return entries[entries.length - 1][0];
    },
  };
  return random;
};

export type Campaign = { campaignId: string; channel: string; kind: string };

export const campaigns: (readonly [Campaign, number])[] = [
  [{ campaignId: 'search-brand', channel: 'paid_search', kind: 'ad_click' }, 14],
  [{ campaignId: 'search-competitors', channel: 'paid_search', kind: 'ad_click' }, 8],
  [{ campaignId: 'linkedin-abm', channel: 'paid_social', kind: 'ad_click' }, 10],
  [{ campaignId: 'spring-webinar', channel: 'webinar', kind: 'webinar' }, 9],
  [{ campaignId: 'product-tour-webinar', channel: 'webinar', kind: 'webinar' }, 6],
  [{ campaignId: 'monthly-newsletter', channel: 'email', kind: 'email_click' }, 12],
  [{ campaignId: 'roi-ebook', channel: 'content', kind: 'content_download' }, 10],
  [{ campaignId: 'blog-seo', channel: 'organic_search', kind: 'content_download' }, 11],
  [{ campaignId: 'saas-summit', channel: 'event', kind: 'event' }, 6],
  [{ campaignId: 'partner-referrals', channel: 'partner', kind: 'demo_request' }, 5],
  [{ campaignId: 'retargeting-display', channel: 'display', kind: 'ad_click' }, 9],
];

// How each rep answers handoffs: on time, late, or never (the rest). SLA reports differ by rep.
export const reps = [
  { id: 'rep-ana', onTime: 0.9, late: 0.07 },
  { id: 'rep-ben', onTime: 0.78, late: 0.14 },
  { id: 'rep-chen', onTime: 0.7, late: 0.18 },
  { id: 'rep-dara', onTime: 0.84, late: 0.1 },
  { id: 'rep-eli', onTime: 0.55, late: 0.28 },
  { id: 'rep-fay', onTime: 0.8, late: 0.08 },
] as const;

export const firstNames = [
  'Ada',
  'Grace',
  'Alan',
  'Katherine',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Edsger',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Hedy',
  'Donald',
  'Shafi',
  'José',
  'Zoë',
  'Chen',
  'Amara',
];
export const lastNames = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Johnson',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Dijkstra',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'Knuth',
  'Goldwasser',
];
export const companies = [
  ['Analytical Engines', 'analytical-engines.example'],
  ['Northwind Traders', 'northwind.example'],
  ['Globex', 'globex.example'],
  ['Initech', 'initech.example'],
  ['Umbrella Logistics', 'umbrella-logistics.example'],
  ['Stark Industries', 'stark.example'],
  ['Wayne Enterprises', 'wayne.example'],
  ['Tyrell Systems', 'tyrell.example'],
  ['Cyberdyne', 'cyberdyne.example'],
  ['Hooli', 'hooli.example'],
  ['Vandelay Industries', 'vandelay.example'],
  ['Soylent Foods', 'soylent.example'],
] as const;

export const rejectionReasons = [
  ['not_ready', 35],
  ['not_icp', 25],
  ['bad_contact', 15],
  ['duplicate', 10],
  ['other', 15],
] as const;
export const dealLossReasons = ['lost_to_competitor', 'no_budget', 'no_decision'] as const;

export const ascii = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

export const scoreReasons = (random: Random, score: number) => {
  const title = random.int(0, Math.min(40, score));
  const size = random.int(0, Math.min(30, score - title));
  return [
    { rule: 'job_title', points: title },
    { rule: 'company_size', points: size },
    { rule: 'engagement', points: score - title - size },
  ];
};

const planLead = (options: DemoPlanOptions, index: number): DemoLead => {
  const random = randomFrom(mulberry32(hash32(`${options.seed}:${index}`)));
  const leadId = uuidv5(`seed-demo:${options.seed}:${index}`, leadIdNamespace);
  const anchor = Date.parse(options.anchor);
  const threshold = options.mqlThreshold;
  const sla = options.slaMinutes * minute;
  const steps: DemoStep[] = [];
  const iso = (time: number): string => new Date(Math.round(time / 1000) * 1000).toISOString();
  const add = (command: DemoCommand, time: number, body: Record<string, unknown> = {}): void => {
    const path =
      command === 'capture'
        ? '/leads'
        : `/leads/${leadId}/${command === 'engage' ? 'engagements' : command}`;
    steps.push({
      command,
      path,
      body: { ...body, occurredAt: iso(time) },
      idempotencyKey: `seed-demo:${options.seed}:${index}:${steps.length}`,
    });
  };
  const later = (time: number, minMs: number, maxMs: number): number =>
    time + Math.round(random.between(minMs, maxMs));
  const scoreBody = (qualified: boolean) => {
    const score =
      qualified || threshold === 0
        ? random.int(threshold, 100)
        : random.int(Math.max(0, threshold - 45), threshold - 1);
    return { score, reasons: scoreReasons(random, score), model: 'fit-and-intent@2' };
  };

  // capture, with the touches that came before it
  let time = anchor - Math.round(random.between(30 * minute, historyDays * day));
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
    .map(({ campaignId, channel, at }) => ({ campaignId, channel, occurredAt: iso(at) }));
  const first = random.pick(firstNames);
  const last = random.pick(lastNames);
  const [company, domain] = random.pick(companies);
  add('capture', time, {
    leadId,
    email: `${ascii(first)}.${ascii(last)}.${index}@${domain}`,
    name: `${first} ${last}`,
    company,
    source: { campaignId: source.campaignId, channel: source.channel },
    sourcedBy:
      source.channel === 'partner' ? 'partner' : random.chance(0.18) ? 'sales' : 'marketing',
    priorTouches,
  });

  const engage = (): void => {
    const campaign = random.chance(0.4) ? source : random.weighted(campaigns);
    time = later(time, 30 * minute, 9 * day);
    const kind = random.chance(0.08) ? 'demo_request' : campaign.kind;
    add('engage', time, { campaignId: campaign.campaignId, channel: campaign.channel, kind });
  };
  const engagements = random.weighted([
    [0, 20],
    [1, 30],
    [2, 25],
    [3, 15],
    [4, 10],
  ]);
  for (let n = 0; n < engagements; n++) engage();

  // scoring: most leads qualify; some cold ones warm up later, some are handed off anyway
  let qualified = threshold === 0 || random.chance(0.62);
  time = later(time, 5 * minute, 2 * day);
  add('score', time, scoreBody(qualified));
  let override: { reason: string } | undefined;
  if (!qualified) {
    const fate = random.weighted([
      ['warms_up', 35],
      ['override', 12],
      ['lost', 30],
      ['stays', 23],
    ]);
    if (fate === 'stays') return { index, leadId, steps: cutAt(steps, anchor) };
    if (fate === 'lost') {
      time = later(time, 3 * day, 45 * day);
      add('lose', time, { reason: 'unqualified', note: 'never reached the MQL threshold' });
      return { index, leadId, steps: cutAt(steps, anchor) };
    }
    if (fate === 'warms_up') {
      engage();
      time = later(time, 10 * minute, day);
      add('score', time, scoreBody(true));
      qualified = true;
    } else {
      override = { reason: 'requested by the account executive' };
    }
  }

  // handoffs: the first, and after a rejection perhaps a second to another rep
  let previousRep: string | null = null;
  for (let handoff = 1; handoff <= 2; handoff++) {
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
    add('handoff', time, {
      toRep: rep.id,
      ...(override && { override }),
      ...(random.chance(0.3) && { note: 'asked for a demo next week' }),
    });
    const response = random.weighted([
      ['on_time', rep.onTime],
      ['late', rep.late],
      ['never', 1 - rep.onTime - rep.late],
    ]);
    if (response === 'never') {
      if (random.chance(0.4)) {
        time = later(time, 15 * day, 40 * day);
        add('lose', time, { reason: 'no_response', note: 'sales never followed up' });
      }
      break;
    }
    time =
      response === 'on_time' ? later(time, 3 * minute, 0.9 * sla) : later(time, 1.1 * sla, 4 * sla);
    if (random.chance(handoff === 1 ? 0.2 : 0.1)) {
      const reason = random.weighted(rejectionReasons);
      add('reject', time, {
        reason,
        ...(reason === 'other' && { note: 'already a customer of a partner' }),
      });
      if (handoff === 1 && random.chance(0.55)) {
        // nurtured, re-scored, then handed off again with a new SLA clock
        engage();
        time = later(time, day, 20 * day);
        add('score', time, scoreBody(true));
        qualified = true;
        override = undefined;
        continue;
      }
      if (random.chance(0.45)) {
        time = later(time, 10 * day, 60 * day);
        add('lose', time, { reason: 'nurture_exhausted' });
      }
      break;
    }
    add('accept', time);
    const outcome = random.weighted([
      ['converted', 52],
      ['lost', 28],
      ['open', 20],
    ]);
    if (outcome === 'converted') {
      time = later(time, 7 * day, 75 * day);
      add('convert', time, {
        amount: random.int(4, 300) * 50_000,
        currency: random.chance(0.32) ? 'EUR' : 'USD',
        opportunityId: `opp-${leadId.slice(0, 8)}`,
      });
    } else if (outcome === 'lost') {
      time = later(time, 5 * day, 60 * day);
      add('lose', time, { reason: random.pick(dealLossReasons) });
    }
    break;
  }
  return { index, leadId, steps: cutAt(steps, anchor) };
};

// What has not happened by the anchor is not sent: recent leads are still in progress.
const cutAt = (steps: DemoStep[], anchor: number): DemoStep[] => {
  const future = steps.findIndex((step) => Date.parse(step.body.occurredAt) > anchor);
  return future === -1 ? steps : steps.slice(0, future);
};

export const planDemo = (options: DemoPlanOptions): DemoLead[] => {
  if (!seedPattern.test(options.seed)) {
    throw new Error('the seed must be 1-64 letters, digits, dots, dashes or underscores');
  }
  return Array.from({ length: options.leads }, (_, index) => planLead(options, index));
};

export type PlanSummary = {
  leads: number;
  commands: number;
  handoffs: { total: number; onTime: number; late: number; unanswered: number };
  rejections: number;
  overrides: number;
  losses: number;
  conversions: { currency: string; conversions: number; amount: number }[];
};

/** What a plan holds, judged like the SLA report would (response within `slaMinutes`). */
export const summarisePlan = (plan: DemoLead[], slaMinutes: number): PlanSummary => {
  const summary: PlanSummary = {
    leads: plan.length,
    commands: 0,
    handoffs: { total: 0, onTime: 0, late: 0, unanswered: 0 },
    rejections: 0,
    overrides: 0,
    losses: 0,
    conversions: [],
  };
  const conversions = new Map<string, { conversions: number; amount: number }>();
  for (const { steps } of plan) {
    summary.commands += steps.length;
    steps.forEach((step, index) => {
      if (step.command === 'reject') summary.rejections += 1;
      if (step.command === 'lose') summary.losses += 1;
      if (step.command === 'convert') {
        const currency = String(step.body.currency);
        const total = conversions.get(currency) ?? { conversions: 0, amount: 0 };
        conversions.set(currency, {
          conversions: total.conversions + 1,
          amount: total.amount + Number(step.body.amount),
        });
      }
      if (step.command !== 'handoff') return;
      summary.handoffs.total += 1;
      if (step.body.override) summary.overrides += 1;
      const next = steps[index + 1];
      if (next?.command !== 'accept' && next?.command !== 'reject') {
        summary.handoffs.unanswered += 1;
        return;
      }
      const minutes =
        (Date.parse(next.body.occurredAt) - Date.parse(step.body.occurredAt)) / minute;
      if (minutes <= slaMinutes) summary.handoffs.onTime += 1;
      else summary.handoffs.late += 1;
    });
  }
  summary.conversions = [...conversions.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, total]) => ({ currency, ...total }));
  return summary;
};
