import {
  attribute,
  attributionModels,
  attributionModelVersion,
  isAttributionModel,
  modelId,
  type AttributionModel,
  type Credit,
} from './attribution-models';
import type { Journey, Touch, TouchKind } from './lead-journey';

// Every expected number below is worked out by hand in the comment above it.

const dayMs = 86_400_000;
const start = Date.parse('2024-01-01T00:00:00.000Z');
const at = (days: number, ms = 0) => new Date(start + days * dayMs + ms).toISOString();

const touch = (touchId: string, days: number, kind: TouchKind = 'engagement', ms = 0): Touch => ({
  touchId,
  campaignId: `campaign-${touchId}`,
  channel: kind === 'prior' ? 'paid_search' : 'email',
  occurredAt: at(days, ms),
  kind,
});

const journey = (
  touches: Touch[],
  options: {
    acceptedDay: number | null;
    convertedDay: number;
    amount: number;
    captureTouchId?: string | null;
  },
): Journey => ({
  leadId: 'lead-1',
  sourcedBy: 'marketing',
  touches,
  captureTouchId:
    options.captureTouchId === undefined
      ? (touches.find(({ kind }) => kind === 'capture')?.touchId ?? null)
      : options.captureTouchId,
  acceptedAt: options.acceptedDay === null ? null : at(options.acceptedDay),
  conversion: {
    amount: options.amount,
    currency: 'EUR',
    occurredAt: at(options.convertedDay),
    eventId: 'evt-won',
  },
});

const amounts = (model: AttributionModel, of: Journey) =>
  attribute(model, of).map(({ touchId, amount }) => [touchId, amount]);

const roles = (credits: Credit[]) => credits.map((credit) => [credit.touchId, credit.roles]);

const expectWeights = (credits: Credit[], expected: number[]) => {
  expect(credits).toHaveLength(expected.length);
  credits.forEach((credit, index) => expect(credit.weight).toBeCloseTo(expected[index], 12));
};

describe('model ids', () => {
  it('lists the seven models, each at version 1', () => {
    expect(attributionModels).toEqual([
      'first_touch',
      'last_touch',
      'linear',
      'u_shaped',
      'w_shaped',
      'full_path',
      'time_decay',
    ]);
    expect(Object.values(attributionModelVersion)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('names a model with its version', () => {
    expect(modelId('w_shaped')).toBe('w_shaped@1');
    expect(modelId('time_decay')).toBe('time_decay@1');
  });

  it('recognises model names', () => {
    expect(isAttributionModel('u_shaped')).toBe(true);
    expect(isAttributionModel('u_shaped@1')).toBe(false);
    expect(isAttributionModel('toString')).toBe(false);
  });
});

describe('a single touch', () => {
  // The capture is the only touch: it is FT, LC, OC and CW, and every model gives it 100%.
  const single = journey([touch('cap', 0, 'capture')], {
    acceptedDay: 1,
    convertedDay: 2,
    amount: 1000,
  });

  it.each(attributionModels)('%s gives it the whole amount', (model) => {
    expect(attribute(model, single)).toEqual([
      {
        touchId: 'cap',
        campaignId: 'campaign-cap',
        channel: 'email',
        occurredAt: '2024-01-01T00:00:00.000Z',
        roles: ['FT', 'LC', 'OC', 'CW'],
        weight: 1,
        amount: 1000,
      },
    ]);
  });
});

describe('two touches', () => {
  // p0 (day 0) is FT; the capture (day 7) is LC, and also OC (acceptance day 8) and CW.
  const two = journey([touch('p0', 0, 'prior'), touch('cap', 7, 'capture')], {
    acceptedDay: 8,
    convertedDay: 14,
    amount: 1000,
  });

  it('marks the milestones', () => {
    expect(roles(attribute('linear', two))).toEqual([
      ['p0', ['FT']],
      ['cap', ['LC', 'OC', 'CW']],
    ]);
  });

  it('first_touch: all to p0; the other touch has no share and no credit', () => {
    expect(amounts('first_touch', two)).toEqual([['p0', 1000]]);
  });

  it('last_touch: all to the capture', () => {
    expect(amounts('last_touch', two)).toEqual([['cap', 1000]]);
  });

  it('linear: half each', () => {
    expect(amounts('linear', two)).toEqual([
      ['p0', 500],
      ['cap', 500],
    ]);
    expectWeights(attribute('linear', two), [0.5, 0.5]);
  });

  it('u_shaped: FT 40 and LC 40 with no other touch scale up to 50/50', () => {
    expect(amounts('u_shaped', two)).toEqual([
      ['p0', 500],
      ['cap', 500],
    ]);
  });

  it('w_shaped: FT 30 against LC+OC 60, scaled to 1/3 and 2/3; the odd unit goes to the larger remainder', () => {
    // 1000/3 = 333.33…, 2000/3 = 666.66…: floors 333 + 666 = 999, the last unit to 2/3 > 1/3.
    expect(amounts('w_shaped', two)).toEqual([
      ['p0', 333],
      ['cap', 667],
    ]);
    expectWeights(attribute('w_shaped', two), [1 / 3, 2 / 3]);
  });

  it('full_path: FT 22.5 against LC+OC+CW 67.5, scaled to 25/75', () => {
    expect(amounts('full_path', two)).toEqual([
      ['p0', 250],
      ['cap', 750],
    ]);
    expectWeights(attribute('full_path', two), [0.25, 0.75]);
  });

  it('time_decay: 14 and 7 days before conversion weigh 1/4 and 1/2, normalised to 1/3 and 2/3', () => {
    expect(amounts('time_decay', two)).toEqual([
      ['p0', 333],
      ['cap', 667],
    ]);
    expectWeights(attribute('time_decay', two), [1 / 3, 2 / 3]);
  });
});

describe('coinciding milestones with other touches between them', () => {
  // cap (day 0) is FT and LC; e3 (day 21) is OC (acceptance day 22) and CW; e1, e2 hold nothing.
  const path = journey(
    [touch('cap', 0, 'capture'), touch('e1', 7), touch('e2', 14), touch('e3', 21)],
    { acceptedDay: 22, convertedDay: 28, amount: 10_000 },
  );

  it('lists every milestone a touch holds', () => {
    expect(roles(attribute('linear', path))).toEqual([
      ['cap', ['FT', 'LC']],
      ['e1', []],
      ['e2', []],
      ['e3', ['OC', 'CW']],
    ]);
  });

  it('gives the same role evidence under every model', () => {
    const byTouch = new Map(roles(attribute('linear', path)) as [string, string[]][]);
    for (const model of attributionModels) {
      for (const credit of attribute(model, path))
        expect(credit.roles).toEqual(byTouch.get(credit.touchId));
    }
  });

  it('first_touch and last_touch', () => {
    expect(amounts('first_touch', path)).toEqual([['cap', 10_000]]);
    expect(amounts('last_touch', path)).toEqual([['e3', 10_000]]);
  });

  it('linear: a quarter each', () => {
    expect(amounts('linear', path)).toEqual([
      ['cap', 2500],
      ['e1', 2500],
      ['e2', 2500],
      ['e3', 2500],
    ]);
  });

  it('u_shaped: FT+LC on one touch add up to 80%; e1, e2, e3 share 20%, tied remainders to the earlier touch', () => {
    // 20% of 10 000 over 3 = 666.66… each: floors 8000 + 3 × 666 = 9998; the 2 units left go
    // to the tied remainders in touch order: e1, e2.
    expect(amounts('u_shaped', path)).toEqual([
      ['cap', 8000],
      ['e1', 667],
      ['e2', 667],
      ['e3', 666],
    ]);
    expectWeights(attribute('u_shaped', path), [0.8, 1 / 15, 1 / 15, 1 / 15]);
  });

  it('w_shaped: FT+LC 60%, OC 30%, e1 and e2 share 10%', () => {
    expect(amounts('w_shaped', path)).toEqual([
      ['cap', 6000],
      ['e1', 500],
      ['e2', 500],
      ['e3', 3000],
    ]);
    expectWeights(attribute('w_shaped', path), [0.6, 0.05, 0.05, 0.3]);
  });

  it('full_path: FT+LC 45%, OC+CW 45%, e1 and e2 share 10%', () => {
    expect(amounts('full_path', path)).toEqual([
      ['cap', 4500],
      ['e1', 500],
      ['e2', 500],
      ['e3', 4500],
    ]);
    expectWeights(attribute('full_path', path), [0.45, 0.05, 0.05, 0.45]);
  });

  it('time_decay: 28, 21, 14, 7 days before conversion weigh 1/16, 1/8, 1/4, 1/2, i.e. 1/15, 2/15, 4/15, 8/15', () => {
    // 666.66…, 1333.33…, 2666.66…, 5333.33…: floors sum to 9998; the remainders 2/3 of cap and
    // e2 beat 1/3 of e1 and e3.
    expect(amounts('time_decay', path)).toEqual([
      ['cap', 667],
      ['e1', 1333],
      ['e2', 2667],
      ['e3', 5333],
    ]);
    expectWeights(attribute('time_decay', path), [1 / 15, 2 / 15, 4 / 15, 8 / 15]);
  });
});

describe('four distinct milestones', () => {
  // p0 FT (day 0), cap LC (day 1), e1 OC (day 2, acceptance day 3), e2 CW (day 4), won day 5.
  const milestones = journey(
    [touch('p0', 0, 'prior'), touch('cap', 1, 'capture'), touch('e1', 2), touch('e2', 4)],
    { acceptedDay: 3, convertedDay: 5, amount: 1000 },
  );

  it('marks one milestone per touch', () => {
    expect(roles(attribute('linear', milestones))).toEqual([
      ['p0', ['FT']],
      ['cap', ['LC']],
      ['e1', ['OC']],
      ['e2', ['CW']],
    ]);
  });

  it('u_shaped: OC and CW are "others" for a model without them', () => {
    expect(amounts('u_shaped', milestones)).toEqual([
      ['p0', 400],
      ['cap', 400],
      ['e1', 100],
      ['e2', 100],
    ]);
  });

  it('w_shaped: the CW touch is the only other and takes the whole 10%', () => {
    expect(amounts('w_shaped', milestones)).toEqual([
      ['p0', 300],
      ['cap', 300],
      ['e1', 300],
      ['e2', 100],
    ]);
  });

  it('full_path: no other touch, so 22.5% × 4 scales up to 25% each', () => {
    expect(amounts('full_path', milestones)).toEqual([
      ['p0', 250],
      ['cap', 250],
      ['e1', 250],
      ['e2', 250],
    ]);
    expectWeights(attribute('full_path', milestones), [0.25, 0.25, 0.25, 0.25]);
  });
});

describe('amounts that do not divide evenly', () => {
  const three = (amount: number) =>
    journey([touch('p0', 0, 'prior'), touch('cap', 1, 'capture'), touch('e1', 2)], {
      acceptedDay: 3,
      convertedDay: 4,
      amount,
    });

  it('linear: 100 over 3 touches is 34, 33, 33 (exact tie, first touch wins)', () => {
    expect(amounts('linear', three(100))).toEqual([
      ['p0', 34],
      ['cap', 33],
      ['e1', 33],
    ]);
  });

  it('w_shaped: FT, LC, OC 30% each with no other touch is a third each: 100 → 34, 33, 33', () => {
    expect(amounts('w_shaped', three(100))).toEqual([
      ['p0', 34],
      ['cap', 33],
      ['e1', 33],
    ]);
  });

  it('linear: 2 units over 3 touches go to the first two', () => {
    expect(amounts('linear', three(2))).toEqual([
      ['p0', 1],
      ['cap', 1],
      ['e1', 0],
    ]);
  });

  it('linear: 1 unit over 4 touches goes to the first; the others keep a zero credit since their weight is not zero', () => {
    const four = journey(
      [touch('p0', 0, 'prior'), touch('cap', 1, 'capture'), touch('e1', 2), touch('e2', 3)],
      {
        acceptedDay: 3,
        convertedDay: 4,
        amount: 1,
      },
    );
    expect(amounts('linear', four)).toEqual([
      ['p0', 1],
      ['cap', 0],
      ['e1', 0],
      ['e2', 0],
    ]);
    expectWeights(attribute('linear', four), [0.25, 0.25, 0.25, 0.25]);
  });

  it('u_shaped: 1 unit over FT 40 / LC 40 / one other 20 goes to the first of the tied FT and LC', () => {
    expect(amounts('u_shaped', three(1))).toEqual([
      ['p0', 1],
      ['cap', 0],
      ['e1', 0],
    ]);
  });

  it('full_path: 999 999 999 over 22.5/22.5/22.5/22.5/10 splits exactly', () => {
    // p0 FT, cap LC, e1 OC, e2 CW, e3 the only other. 22.5% of 999 999 999 = 224 999 999.775 →
    // 224 999 999 four times (remainders .775); 10% = 99 999 999.9 → 99 999 999 (remainder .9).
    // Floors sum to 999 999 995; the 4 units left go to .9 (e3), then .775 × 3 in touch order.
    const five = journey(
      [
        touch('p0', 0, 'prior'),
        touch('cap', 1, 'capture'),
        touch('e1', 2),
        touch('e3', 4),
        touch('e2', 5),
      ],
      { acceptedDay: 3, convertedDay: 6, amount: 999_999_999 },
    );
    expect(roles(attribute('full_path', five))).toEqual([
      ['p0', ['FT']],
      ['cap', ['LC']],
      ['e1', ['OC']],
      ['e3', []],
      ['e2', ['CW']],
    ]);
    expect(amounts('full_path', five)).toEqual([
      ['p0', 225_000_000],
      ['cap', 225_000_000],
      ['e1', 225_000_000],
      ['e3', 100_000_000],
      ['e2', 224_999_999],
    ]);
  });
});

describe('time_decay', () => {
  // Touches 14, 7 and 0 days before conversion weigh 1/4, 1/2, 1: normalised 1/7, 2/7, 4/7.
  const decay = (amount: number) =>
    journey([touch('cap', 0, 'capture'), touch('e1', 7), touch('e2', 14)], {
      acceptedDay: 10,
      convertedDay: 14,
      amount,
    });

  it('halves a touch’s weight for every 7 days before the conversion', () => {
    expectWeights(attribute('time_decay', decay(700)), [1 / 7, 2 / 7, 4 / 7]);
    expect(amounts('time_decay', decay(700))).toEqual([
      ['cap', 100],
      ['e1', 200],
      ['e2', 400],
    ]);
  });

  it('rounds by largest remainder: 100 → 14.28…, 28.57…, 57.14… → 14, 29, 57', () => {
    expect(amounts('time_decay', decay(100))).toEqual([
      ['cap', 14],
      ['e1', 29],
      ['e2', 57],
    ]);
  });

  it('counts a remainder within 1e-9 of a unit as a tie, which the earlier touch wins', () => {
    // 1 ms apart: the later touch weighs 2^(1 ms / 7 days) ≈ 1 + 1.15e-9 times more, so the
    // remainders of 1 unit are 0.5 ∓ 2.9e-10: a near-tie, which goes to the earlier touch.
    const nearTie = journey([touch('cap', 0, 'capture'), touch('e1', 0, 'engagement', 1)], {
      acceptedDay: 0.5,
      convertedDay: 1,
      amount: 1,
    });
    expect(amounts('time_decay', nearTie)).toEqual([
      ['cap', 1],
      ['e1', 0],
    ]);
  });

  it('lets a clearly larger remainder win', () => {
    // 1 s apart: the remainders are 0.5 ∓ 2.9e-7, well beyond the tolerance.
    const apart = journey([touch('cap', 0, 'capture'), touch('e1', 0, 'engagement', 1000)], {
      acceptedDay: 0.5,
      convertedDay: 1,
      amount: 1,
    });
    expect(amounts('time_decay', apart)).toEqual([
      ['cap', 0],
      ['e1', 1],
    ]);
  });

  it('still splits touches years before the conversion', () => {
    // 4000 and 3993 days before: relative weights 1/2 and 1, as for any two touches 7 days apart.
    const old = journey([touch('cap', 0, 'capture'), touch('e1', 7)], {
      acceptedDay: 8,
      convertedDay: 4000,
      amount: 300,
    });
    expect(amounts('time_decay', old)).toEqual([
      ['cap', 100],
      ['e1', 200],
    ]);
  });
});

describe('eligible touches and their order', () => {
  it('ignores touches after the conversion, and counts one exactly at it', () => {
    // cap day 0 (FT, LC, OC: acceptance day 1), e1 day 3 (exactly at conversion: CW), e2 day 4 ignored.
    const late = journey([touch('cap', 0, 'capture'), touch('e1', 3), touch('e2', 4)], {
      acceptedDay: 1,
      convertedDay: 3,
      amount: 100,
    });
    expect(roles(attribute('linear', late))).toEqual([
      ['cap', ['FT', 'LC', 'OC']],
      ['e1', ['CW']],
    ]);
    expect(amounts('linear', late)).toEqual([
      ['cap', 50],
      ['e1', 50],
    ]);
    expect(amounts('last_touch', late)).toEqual([['e1', 100]]);
  });

  it('orders by occurredAt, then stream order for the same instant', () => {
    // Stream order: p0 (day 2), p1 (day 1), cap (day 2), e1 (day 1). By time: p1, e1, p0, cap.
    const shuffled = journey(
      [
        touch('p0', 2, 'prior'),
        touch('p1', 1, 'prior'),
        touch('cap', 2, 'capture'),
        touch('e1', 1),
      ],
      { acceptedDay: 5, convertedDay: 6, amount: 4 },
    );
    expect(roles(attribute('linear', shuffled))).toEqual([
      ['p1', ['FT']],
      ['e1', []],
      ['p0', []],
      ['cap', ['LC', 'OC', 'CW']],
    ]);
  });

  it('compares instants, not strings', () => {
    // '…00Z' sorts after '…00.000Z' as text, but it is the conversion instant itself.
    const sameInstant: Journey = {
      ...journey([touch('cap', 0, 'capture')], { acceptedDay: 0, convertedDay: 0, amount: 10 }),
      conversion: {
        amount: 10,
        currency: 'EUR',
        occurredAt: '2024-01-01T00:00:00Z',
        eventId: 'evt-won',
      },
    };
    expect(amounts('linear', sameInstant)).toEqual([['cap', 10]]);
  });

  it('refuses to attribute when no touch happened by the conversion: credits must sum to the amount (issue 10 item 5)', () => {
    // The decider refuses such a conversion; a stream written before that rule is parked as poison
    // rather than reported with credits that do not add up to its amount.
    const backdated = journey([touch('cap', 5, 'capture')], {
      acceptedDay: 6,
      convertedDay: 2,
      amount: 100,
    });
    for (const model of attributionModels)
      expect(() => attribute(model, backdated)).toThrow('credits sum to 0, not to its amount 100');
  });

  it('refuses a lead that has not converted', () => {
    const open: Journey = {
      ...journey([touch('cap', 0, 'capture')], { acceptedDay: 1, convertedDay: 2, amount: 1 }),
      conversion: null,
    };
    expect(() => attribute('linear', open)).toThrow('has not converted');
  });

  it('refuses an amount that is not whole minor units', () => {
    const fractional = journey([touch('cap', 0, 'capture')], {
      acceptedDay: 1,
      convertedDay: 2,
      amount: 10.5,
    });
    expect(() => attribute('linear', fractional)).toThrow('minor units');
  });

  it('credits zero to every weighted touch of a zero amount', () => {
    const free = journey([touch('cap', 0, 'capture'), touch('e1', 1)], {
      acceptedDay: 1,
      convertedDay: 2,
      amount: 0,
    });
    expect(amounts('u_shaped', free)).toEqual([
      ['cap', 0],
      ['e1', 0],
    ]);
  });
});

describe('missing milestones', () => {
  it('without an eligible capture touch, the LC share is redistributed by scaling the present shares', () => {
    // u_shaped without LC: FT 40 and others 20 scale to 2/3 and 1/3; p1 and e1 share the third.
    // 600 → 400, 100, 100.
    const noCapture = journey([touch('p0', 0, 'prior'), touch('p1', 1, 'prior'), touch('e1', 2)], {
      acceptedDay: 3,
      convertedDay: 4,
      amount: 600,
      captureTouchId: null,
    });
    expect(roles(attribute('u_shaped', noCapture))).toEqual([
      ['p0', ['FT']],
      ['p1', []],
      ['e1', ['OC', 'CW']],
    ]);
    expect(amounts('u_shaped', noCapture)).toEqual([
      ['p0', 400],
      ['p1', 100],
      ['e1', 100],
    ]);
  });

  it('a capture touch after the conversion holds no LC', () => {
    // p0 FT (day 0), e1 (day 1) OC and CW; the capture (day 9) is not eligible.
    // w_shaped: FT 30, OC 30, no other touch → 50/50.
    const lateCapture = journey(
      [touch('p0', 0, 'prior'), touch('cap', 9, 'capture'), touch('e1', 1)],
      {
        acceptedDay: 2,
        convertedDay: 3,
        amount: 100,
      },
    );
    expect(roles(attribute('w_shaped', lateCapture))).toEqual([
      ['p0', ['FT']],
      ['e1', ['OC', 'CW']],
    ]);
    expect(amounts('w_shaped', lateCapture)).toEqual([
      ['p0', 50],
      ['e1', 50],
    ]);
  });

  it('without an acceptance there is no OC: w_shaped FT 30, LC 30, others 10 scale to 3/7, 3/7, 1/7', () => {
    const unaccepted = journey(
      [touch('p0', 0, 'prior'), touch('cap', 1, 'capture'), touch('e1', 2)],
      {
        acceptedDay: null,
        convertedDay: 3,
        amount: 700,
      },
    );
    expect(roles(attribute('w_shaped', unaccepted))).toEqual([
      ['p0', ['FT']],
      ['cap', ['LC']],
      ['e1', ['CW']],
    ]);
    expect(amounts('w_shaped', unaccepted)).toEqual([
      ['p0', 300],
      ['cap', 300],
      ['e1', 100],
    ]);
  });

  it('with an acceptance before every touch there is no OC either', () => {
    // full_path: FT 22.5 (p0), LC 22.5 (cap), CW 22.5 (e1), no other: a third each.
    const early = journey([touch('p0', 1, 'prior'), touch('cap', 2, 'capture'), touch('e1', 3)], {
      acceptedDay: 0,
      convertedDay: 4,
      amount: 300,
    });
    expect(roles(attribute('full_path', early))).toEqual([
      ['p0', ['FT']],
      ['cap', ['LC']],
      ['e1', ['CW']],
    ]);
    expect(amounts('full_path', early)).toEqual([
      ['p0', 100],
      ['cap', 100],
      ['e1', 100],
    ]);
  });

  it('OC is the last touch at or before the acceptance, which may be the acceptance instant itself', () => {
    const onTheDot = journey([touch('cap', 0, 'capture'), touch('e1', 2), touch('e2', 3)], {
      acceptedDay: 2,
      convertedDay: 4,
      amount: 100,
    });
    expect(roles(attribute('w_shaped', onTheDot))).toEqual([
      ['cap', ['FT', 'LC']],
      ['e1', ['OC']],
      ['e2', ['CW']],
    ]);
    // FT+LC 60, OC 30, e2 the only other 10.
    expect(amounts('w_shaped', onTheDot)).toEqual([
      ['cap', 60],
      ['e1', 30],
      ['e2', 10],
    ]);
  });
});
