import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributionModel,
  type Journey,
  type LeadFact,
  attribute,
  attributionModels,
  evolveJourney,
  modelId,
} from '@lead/domain';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  recordedLog,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadAttributionProjection } from '../lead-projections/lead-attribution.projection';
import { replayInto } from '../projection-runner';
import { projectionIndexes } from '../projection';
import {
  type AttributionGrouping,
  attributionGroupings,
  attributionReport,
  leadAttribution,
  served,
} from './attribution-queries';
import { type BusinessTimeRange, within } from './business-time';

// A seeded generated log (a few hundred leads, three currencies, shared campaigns, engagements
// after conversion), and the reports as the full credits of each journey at its conversion give
// them: what the documents stored before they kept only the shares, grouped as the report did.
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const next = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
const campaigns = ['cmp-a', 'cmp-b', 'cmp-c', 'cmp-d', 'cmp-e'];
const channels = ['email', 'webinar', 'event', 'paid_search'];

const leadIdOf = (n: number) => `01943a4e-3c00-7000-8000-${String(n).padStart(12, '0')}`;
const lifeOf = (n: number): LeadFact[] => {
  const leadId = leadIdOf(n);
  const start = Math.floor(next() * 20_000);
  const touch = () => ({ campaignId: pick(campaigns), channel: pick(channels) });
  const facts: LeadFact[] = [
    leadCaptured({
      leadId,
      occurredAt: at(start),
      sourcedBy: pick(['marketing', 'sales'] as const),
      source: touch(),
      priorTouches: Array.from({ length: Math.floor(next() * 3) }, (_, k) => ({
        ...touch(),
        occurredAt: at(start - 100 * (k + 1)),
      })),
    }),
  ];
  let minute = start;
  for (let k = Math.floor(next() * 4); k > 0; k -= 1) {
    minute += 1 + Math.floor(next() * 300);
    facts.push(leadEngaged({ leadId, ...touch(), occurredAt: at(minute) }));
  }
  if (next() < 0.7) {
    const handoff = leadHandedOff({ leadId, occurredAt: at((minute += 5)) });
    facts.push(
      handoff,
      leadAccepted({
        leadId,
        handoffEventId: handoff.metadata.eventId,
        occurredAt: at(minute + 7),
      }),
    );
  }
  if (next() < 0.6) {
    // amounts no model splits evenly, now and then one past 2^26 (the exact sum's halves)
    const amount = next() < 0.1 ? 2 ** 26 + Math.floor(next() * 1e9) : Math.floor(next() * 1e6);
    const occurredAt = at((minute += 60 + Math.floor(next() * 600)));
    facts.push(
      leadConverted({ leadId, amount, currency: pick(['EUR', 'USD', 'GBP']), occurredAt }),
    );
    // touches after the conversion, one of them dated before it: credits are fixed already
    facts.push(leadEngaged({ leadId, ...touch(), occurredAt: at(minute + 30) }));
    if (next() < 0.3) facts.push(leadEngaged({ leadId, ...touch(), occurredAt: at(minute - 30) }));
  }
  return facts;
};
const lives = Array.from({ length: 300 }, (_, n) => lifeOf(n + 1));
// interleaved, as a log of many leads is
const history = lives
  .flatMap((life, n) => life.map((fact, step) => ({ fact, order: step * 1_000 + n })))
  .sort((a, b) => a.order - b.order)
  .map(({ fact }) => fact);

// each converted lead's journey as of its conversion
const converted: Journey[] = lives.flatMap((life) => {
  let journey: Journey | null = null;
  for (const fact of life) {
    journey = evolveJourney(journey, fact);
    if (journey?.conversion) return [journey];
  }
  return [];
});

const expectedReport = (
  model: AttributionModel,
  groupBy: AttributionGrouping,
  range: BusinessTimeRange,
) => {
  const rows = new Map<
    string,
    { key: string; currency: string; sum: bigint; leads: Set<string> }
  >();
  const totals = new Map<string, { currency: string; sum: bigint; conversions: number }>();
  for (const journey of converted) {
    const { amount, currency, occurredAt } = journey.conversion!;
    if (!within(occurredAt, range)) continue;
    const total = totals.get(currency) ?? { currency, sum: 0n, conversions: 0 };
    totals.set(currency, {
      currency,
      sum: total.sum + BigInt(amount),
      conversions: total.conversions + 1,
    });
    const shares =
      groupBy === 'sourcedBy'
        ? [{ key: journey.sourcedBy, amount }]
        : attribute(model, journey).map((credit) => ({
            key: groupBy === 'campaign' ? credit.campaignId : credit.channel,
            amount: credit.amount,
          }));
    for (const { key, amount: share } of shares) {
      const id = `${key}\u0000${currency}`;
      const row = rows.get(id) ?? { key, currency, sum: 0n, leads: new Set<string>() };
      row.sum += BigInt(share);
      row.leads.add(journey.leadId);
      rows.set(id, row);
    }
  }
  const order = (a: { currency: string; sum: bigint; key?: string }, b: typeof a) =>
    a.currency < b.currency
      ? -1
      : a.currency > b.currency
        ? 1
        : b.sum > a.sum
          ? 1
          : b.sum < a.sum
            ? -1
            : (a.key ?? '') < (b.key ?? '')
              ? -1
              : (a.key ?? '') > (b.key ?? '')
                ? 1
                : 0;
  return {
    model: modelId(model),
    groupBy,
    rows: [...rows.values()].sort(order).map(({ key, currency, sum, leads }) => ({
      key,
      currency,
      amount: served(sum),
      conversions: leads.size,
    })),
    totals: [...totals.values()]
      .sort(order)
      .map(({ currency, sum, conversions }) => ({ currency, amount: served(sum), conversions })),
  };
};

const ranges: BusinessTimeRange[] = [{}, { from: at(5_000) }, { from: at(3_000), to: at(12_000) }];

describe.each([
  ['in memory', ':memory:'],
  ['in a file', 'file'],
])('attribution answers from the stored shares (%s)', (_name, kind) => {
  let dir: string;
  let store: EmbeddedReadStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attribution-equivalence-'));
    store = new EmbeddedReadStore({
      path: kind === 'file' ? join(dir, 'read.sqlite') : ':memory:',
    });
    await store.ensureIndexes(projectionIndexes([leadAttributionProjection]));
    await replayInto(store, recordedLog(...history), [leadAttributionProjection]);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a log with conversions in every currency, some past 2^26 minor units', () => {
    expect(converted.length).toBeGreaterThan(100);
    expect(new Set(converted.map((journey) => journey.conversion!.currency)).size).toBe(3);
  });

  it.each(attributionModels)(
    'equal the reports the full credits give, under %s, for every grouping and range',
    async (model) => {
      for (const groupBy of attributionGroupings) {
        for (const range of ranges) {
          const report = await attributionReport(store, { model, groupBy, ...range });
          expect(JSON.stringify(report)).toBe(
            JSON.stringify(expectedReport(model, groupBy, range)),
          );
        }
      }
    },
  );

  it('give each converted lead the credits of its journey at the conversion, under every model', async () => {
    for (const journey of converted) {
      for (const model of attributionModels) {
        expect(await leadAttribution(store, journey.leadId, model)).toStrictEqual({
          leadId: journey.leadId,
          model: modelId(model),
          converted: true,
          amount: journey.conversion!.amount,
          currency: journey.conversion!.currency,
          credits: attribute(model, journey),
        });
      }
    }
  });
});
