import type { Conversion, Journey, Touch } from './lead-journey';

export const attributionModels = [
  'first_touch',
  'last_touch',
  'linear',
  'u_shaped',
  'w_shaped',
  'full_path',
  'time_decay',
] as const;

export type AttributionModel = (typeof attributionModels)[number];

// Bump a model's version whenever its rules change, so stored and replayed results stay
// comparable: every result names the model id it was computed with (DESIGN §4).
export const attributionModelVersion: Record<AttributionModel, number> = {
  first_touch: 1,
  last_touch: 1,
  linear: 1,
  u_shaped: 1,
  w_shaped: 1,
  full_path: 1,
  time_decay: 1,
};

export const modelId = (model: AttributionModel): string =>
  `${model}@${attributionModelVersion[model]}`;

export const isAttributionModel = (value: string): value is AttributionModel =>
  (attributionModels as readonly string[]).includes(value);

export type Role = 'FT' | 'LC' | 'OC' | 'CW';

export type Credit = {
  touchId: string;
  campaignId: string;
  channel: string;
  occurredAt: string;
  roles: Role[];
  weight: number;
  amount: number;
};

type RuleModel = Exclude<AttributionModel, 'time_decay'>;

// Shares are integers so the split is exact rational arithmetic; full_path's 22.5% is 45/200.
// `others` is split equally among the eligible touches holding none of the model's milestones.
type RuleShares = { milestones: Partial<Record<Role, number>>; others: number };

const ruleShares: Record<RuleModel, RuleShares> = {
  first_touch: { milestones: { FT: 1 }, others: 0 },
  last_touch: { milestones: { CW: 1 }, others: 0 },
  linear: { milestones: {}, others: 1 },
  u_shaped: { milestones: { FT: 40, LC: 40 }, others: 20 },
  w_shaped: { milestones: { FT: 30, LC: 30, OC: 30 }, others: 10 },
  full_path: { milestones: { FT: 45, LC: 45, OC: 45, CW: 45 }, others: 20 },
};

const roleOrder: readonly Role[] = ['FT', 'LC', 'OC', 'CW'];
const dayMs = 86_400_000;
const timeDecayHalfLifeMs = 7 * dayMs;

type EligibleTouch = Touch & { time: number; roles: Role[] };

// Each touch's share as numerator / common denominator, numerators summing exactly to it.
type Split = { numerators: bigint[]; denominator: bigint; weights: number[] };

// Credits of a converted lead: integer minor units that sum exactly to the converted amount,
// in touch order (occurredAt, then stream order). Touches with no share in the model (e.g. all
// but the first under first_touch) get no credit. The capture touch is never after the
// conversion (the decider orders business time), so there is always a touch to credit; credits
// that would not sum to the amount throw instead of reaching a report.
export const attribute = (model: AttributionModel, journey: Journey): Credit[] => {
  const credits = creditsOf(model, journey);
  const total = credits.reduce((sum, credit) => sum + credit.amount, 0);
  if (total !== journey.conversion?.amount) {
    throw new Error(
      `lead ${journey.leadId}: ${model} credits sum to ${total}, not to its amount ${journey.conversion?.amount}`,
    );
  }
  return credits;
};

const creditsOf = (model: AttributionModel, journey: Journey): Credit[] => {
  const { conversion } = journey;
  if (!conversion) {
    // A caller bug, not a user error: only converted leads are attributed.
    throw new Error(`lead ${journey.leadId} has not converted: there is nothing to attribute`);
  }
  if (!Number.isSafeInteger(conversion.amount) || conversion.amount < 0) {
    throw new Error(
      `lead ${journey.leadId}: amount ${conversion.amount} is not a whole number of minor units`,
    );
  }
  const touches = eligibleTouches(journey, conversion);
  if (touches.length === 0) return [];
  const split =
    model === 'time_decay' ? timeDecaySplit(touches) : ruleSplit(ruleShares[model], touches);
  const amounts = allocate(
    BigInt(conversion.amount),
    split,
    model === 'time_decay' ? timeDecayTieTolerance : exactTie,
  );
  return touches.flatMap((touch, index): Credit[] =>
    split.numerators[index] > 0n
      ? [
          {
            touchId: touch.touchId,
            campaignId: touch.campaignId,
            channel: touch.channel,
            occurredAt: touch.occurredAt,
            roles: touch.roles,
            weight: split.weights[index],
            amount: Number(amounts[index]),
          },
        ]
      : [],
  );
};

// Times are compared as instants, not strings: '…00Z' and '…00.000Z' are the same moment.
const eligibleTouches = (journey: Journey, conversion: Conversion): EligibleTouch[] => {
  const convertedAt = Date.parse(conversion.occurredAt);
  const ordered = journey.touches
    .map((touch, streamIndex) => ({ touch, streamIndex, time: Date.parse(touch.occurredAt) }))
    .filter(({ time }) => time <= convertedAt)
    .sort((a, b) => a.time - b.time || a.streamIndex - b.streamIndex);
  if (ordered.length === 0) return [];

  const acceptedAt = journey.acceptedAt === null ? null : Date.parse(journey.acceptedAt);
  const holders: Record<Role, number> = {
    FT: 0,
    LC: ordered.findIndex(({ touch }) => touch.touchId === journey.captureTouchId),
    OC: acceptedAt === null ? -1 : lastIndexAtOrBefore(ordered, acceptedAt),
    CW: ordered.length - 1,
  };
  return ordered.map(({ touch, time }, index) => ({
    ...touch,
    time,
    roles: roleOrder.filter((role) => holders[role] === index),
  }));
};

const lastIndexAtOrBefore = (ordered: { time: number }[], instant: number): number => {
  let last = -1;
  ordered.forEach(({ time }, index) => {
    if (time <= instant) last = index;
  });
  return last;
};

// Milestones that fall on one touch add up. A missing milestone (no eligible capture touch, no
// touch before acceptance) or a missing "others" pool contributes nothing to the denominator,
// which scales the present shares up proportionally to 100%.
const ruleSplit = ({ milestones, others }: RuleShares, touches: EligibleTouch[]): Split => {
  const milestoneShare = (touch: EligibleTouch) =>
    touch.roles.reduce((sum, role) => sum + (milestones[role] ?? 0), 0);
  const isOther = (touch: EligibleTouch) =>
    touch.roles.every((role) => milestones[role] === undefined);
  const otherCount = touches.filter(isOther).length;
  // With others present, each gets others / otherCount: scale everything by otherCount to stay whole.
  const scale = Math.max(otherCount, 1);
  const numerators = touches.map((touch) =>
    BigInt(milestoneShare(touch) * scale + (isOther(touch) ? others : 0)),
  );
  const denominator = sum(numerators);
  return {
    numerators,
    denominator,
    weights: numerators.map((numerator) => Number(numerator) / Number(denominator)),
  };
};

// Weights are taken relative to the latest touch (whose weight is 1), which leaves the
// normalised result unchanged and keeps very old journeys from underflowing to 0/0.
const timeDecaySplit = (touches: EligibleTouch[]): Split => {
  const latest = touches[touches.length - 1].time;
  const raw = touches.map(({ time }) => 2 ** (-(latest - time) / timeDecayHalfLifeMs));
  const total = raw.reduce((a, b) => a + b, 0);
  const numerators = raw.map(exactScaled);
  return { numerators, denominator: sum(numerators), weights: raw.map((weight) => weight / total) };
};

// The exact value of a non-negative finite double times 2^1074, so the float weights can be
// split with integer arithmetic and the credits still sum exactly to the amount.
const exactScaled = (value: number): bigint => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return exponent === 0 ? fraction : (fraction | (1n << 52n)) << BigInt(exponent - 1);
};

// Does remainder a beat remainder b (both over `denominator`)? Rule-based shares are exact, so
// equal shares tie exactly; time-decay remainders within 1e-9 of a minor unit count as a tie,
// so that the last bit of a float never decides who gets a cent.
type Beats = (a: bigint, b: bigint, denominator: bigint) => boolean;
const exactTie: Beats = (a, b) => a > b;
const timeDecayTieTolerance: Beats = (a, b, denominator) => (a - b) * 1_000_000_000n > denominator;

// Largest remainder: everyone gets the floor of their exact share, then the units left over go
// one each to the largest remainders, ties to the earlier touch.
const allocate = (amount: bigint, { numerators, denominator }: Split, beats: Beats): bigint[] => {
  const amounts = numerators.map((numerator) => (amount * numerator) / denominator);
  const remainders = numerators.map((numerator) => (amount * numerator) % denominator);
  const rounded = new Set<number>();
  for (let left = amount - sum(amounts); left > 0n; left -= 1n) {
    let best = -1;
    remainders.forEach((remainder, index) => {
      if (rounded.has(index)) return;
      if (best === -1 || beats(remainder, remainders[best], denominator)) best = index;
    });
    rounded.add(best);
    amounts[best] += 1n;
  }
  return amounts;
};

const sum = (values: bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
