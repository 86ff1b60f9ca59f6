import fc from 'fast-check';
import { attribute, attributionModels } from './attribution-models';
import type { Journey, Touch } from './lead-journey';

const dayMs = 86_400_000;
const start = Date.parse('2024-01-01T00:00:00.000Z');
const at = (offsetMs: number) => new Date(start + offsetMs).toISOString();

// Whole days make equal times (and exact ties) frequent; milliseconds make everything else.
const offset = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((days) => days * dayMs),
  fc.integer({ min: 0, max: 120 * dayMs }),
);

const journeyArbitrary = fc
  .record({
    offsets: fc.array(offset, { minLength: 1, maxLength: 30 }),
    captureSlot: fc.option(fc.nat(), { freq: 8 }),
    conversionAfterFirstTouch: fc.integer({ min: 0, max: 150 * dayMs }),
    acceptance: fc.option(fc.integer({ min: 0, max: 150 * dayMs })),
    amount: fc.integer({ min: 1, max: 1_000_000_000 }),
  })
  .map(({ offsets, captureSlot, conversionAfterFirstTouch, acceptance, amount }): Journey => {
    const captureIndex = captureSlot === null ? -1 : captureSlot % offsets.length;
    const touches = offsets.map((touchOffset, index): Touch => ({
      touchId: `t${index}`,
      campaignId: `campaign-${index % 4}`,
      channel: index % 2 === 0 ? 'email' : 'webinar',
      occurredAt: at(touchOffset),
      kind: index === captureIndex ? 'capture' : index < captureIndex ? 'prior' : 'engagement',
    }));
    return {
      leadId: 'lead-1',
      sourcedBy: 'marketing',
      touches,
      captureTouchId: captureIndex === -1 ? null : `t${captureIndex}`,
      acceptedAt: acceptance === null ? null : at(acceptance),
      // At or after the first touch, so at least one touch is eligible; later touches may not be.
      conversion: {
        amount,
        currency: 'EUR',
        occurredAt: at(Math.min(...offsets) + conversionAfterFirstTouch),
        eventId: 'evt-won',
      },
    };
  });

const model = fc.constantFrom(...attributionModels);
const runs = { numRuns: 300 };

describe('attribution over random journeys, for every model', () => {
  it('credits sum exactly to the converted amount', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        const total = attribute(m, journey).reduce((sum, credit) => sum + credit.amount, 0);
        expect(total).toBe(journey.conversion?.amount);
      }),
      runs,
    );
  });

  it('credits whole, non-negative minor units with a positive weight', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        for (const credit of attribute(m, journey)) {
          expect(Number.isSafeInteger(credit.amount)).toBe(true);
          expect(credit.amount).toBeGreaterThanOrEqual(0);
          expect(credit.weight).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });

  it('weights sum to 1', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        const total = attribute(m, journey).reduce((sum, credit) => sum + credit.weight, 0);
        expect(Math.abs(total - 1)).toBeLessThanOrEqual(1e-9);
      }),
      runs,
    );
  });

  it('rounds each credit by less than one unit away from its exact share', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        const amount = journey.conversion?.amount ?? 0;
        for (const credit of attribute(m, journey)) {
          expect(Math.abs(credit.amount - amount * credit.weight)).toBeLessThan(1 + 1e-6);
        }
      }),
      runs,
    );
  });

  it('is deterministic: the same journey gives deep-equal credits', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        expect(attribute(m, structuredClone(journey))).toEqual(attribute(m, journey));
      }),
      runs,
    );
  });

  it('credits only touches at or before the conversion, in time order', () => {
    fc.assert(
      fc.property(model, journeyArbitrary, (m, journey) => {
        const convertedAt = Date.parse(journey.conversion?.occurredAt ?? '');
        const times = attribute(m, journey).map((credit) => Date.parse(credit.occurredAt));
        times.forEach((time, index) => {
          expect(time).toBeLessThanOrEqual(convertedAt);
          if (index > 0) expect(time).toBeGreaterThanOrEqual(times[index - 1]);
        });
      }),
      runs,
    );
  });

  it('names exactly one first touch and one closed-won touch among the eligible touches', () => {
    fc.assert(
      fc.property(journeyArbitrary, (journey) => {
        // linear credits every eligible touch, so its credits show every milestone.
        const credits = attribute('linear', journey);
        expect(credits.filter((credit) => credit.roles.includes('FT'))).toHaveLength(1);
        expect(credits.filter((credit) => credit.roles.includes('CW'))).toHaveLength(1);
        expect(credits[0].roles).toContain('FT');
        expect(credits[credits.length - 1].roles).toContain('CW');
        expect(credits.filter((credit) => credit.roles.includes('LC')).length).toBeLessThanOrEqual(
          1,
        );
        expect(credits.filter((credit) => credit.roles.includes('OC')).length).toBeLessThanOrEqual(
          1,
        );
      }),
      runs,
    );
  });
});
