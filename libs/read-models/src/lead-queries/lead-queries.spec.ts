import type { LeadCaptured, LeadFact } from '@lead/domain';
import {
  type FactOverrides,
  at,
  leadAccepted,
  leadCaptured,
  leadEngaged,
  leadHandedOff,
  leadHistory,
  leadPersonalDataErased,
  leadScored,
  revealedLog,
  t0,
} from '@lead/testing';
import { InMemoryPersonalDataVault } from '@lead/event-store';
import { EmbeddedReadStore } from '../embedded-read-store';
import { leadProjections } from '../lead-projections/lead-projections';
import { replayInto } from '../projection-runner';
import type { LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import { inRange, within } from './business-time';
import { type LeadView, findLead, listLeads } from './lead-queries';

const lead = (n: number): string =>
  `01943a4e-3c00-7000-8000-0000000000${n.toString().padStart(2, '0')}`;
const [l1, l2, l3, l4, l5, l6] = [1, 2, 3, 4, 5, 6].map(lead) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const handedOffTo = (leadId: string, toRep: string, extra: FactOverrides<LeadCaptured> = {}) => {
  const handoff = leadHandedOff({ leadId, toRep, occurredAt: at(20) });
  return {
    handoff,
    facts: [
      leadCaptured({ leadId, ...extra }),
      leadScored({ leadId, occurredAt: at(10) }),
      handoff,
    ],
  };
};

const l2HandOff = handedOffTo(l2, 'rep-2');
const l4HandOff = handedOffTo(l4, 'rep-2', {
  priorTouches: [{ campaignId: 'cmp-webinar', channel: 'webinar', occurredAt: at(-60) }],
});

// Captured in an order unlike the id order, so paging has to sort.
// l1 converted (rep-1) · l2 accepted (rep-2, webinar engagement) · l3 accepted (rep-1)
// l4 handed off (rep-2, prior webinar touch) · l5 captured (cmp-autumn) · l6 lost
const history: LeadFact[] = [
  ...l4HandOff.facts,
  ...leadHistory('lost', l6),
  ...leadHistory('converted', l1),
  leadCaptured({ leadId: l5, source: { campaignId: 'cmp-autumn', channel: 'email' } }),
  ...l2HandOff.facts,
  leadEngaged({ leadId: l2, campaignId: 'cmp-webinar', occurredAt: at(30) }),
  leadAccepted({
    leadId: l2,
    handoffEventId: l2HandOff.handoff.metadata.eventId,
    acceptedBy: 'rep-2',
    occurredAt: at(40),
  }),
  ...leadHistory('accepted', l3),
];

const idsOf = (items: LeadView[]) => items.map((item) => item.leadId);

describe('lead queries', () => {
  let store: EmbeddedReadStore;
  const vault = new InMemoryPersonalDataVault();
  beforeAll(async () => {
    store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, await revealedLog(vault, ...history), leadProjections);
  });
  afterAll(() => store.close());

  describe('findLead', () => {
    it('gives the summary of one lead: stage, score, owner, source, timestamps, amount, revision', async () => {
      expect(await findLead(store, l1, vault)).toStrictEqual<LeadView>({
        leadId: l1,
        stage: 'converted',
        score: 80,
        qualified: true,
        owner: 'rep-1',
        sourcedBy: 'marketing',
        source: { campaignId: 'cmp-spring', channel: 'paid_search' },
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        company: 'Analytical Engines Ltd',
        profile: {
          title: null,
          company: 'Analytical Engines Ltd',
          industry: null,
          country: null,
          employees: null,
        },
        personalDataErased: false,
        campaignIds: ['cmp-spring'],
        timestamps: {
          capturedAt: t0,
          qualifiedAt: at(10),
          handedOffAt: at(20),
          acceptedAt: at(60),
          sqlAt: null,
          convertedAt: at(120),
          lostAt: null,
        },
        amount: { amount: 250_000, currency: 'EUR' },
        opportunityId: null,
        estimate: null,
        lostReason: null,
        lostFrom: null,
        handoffs: 1,
        activities: 0,
        disputes: [],
        revision: 4,
        updatedAt: at(120),
      });
    });

    it('for a lost lead, the loss and no amount', async () => {
      expect(await findLead(store, l6, vault)).toMatchObject({
        stage: 'lost',
        owner: null,
        amount: null,
        lostReason: 'no_budget',
        lostFrom: 'mql',
        timestamps: { lostAt: at(120), handedOffAt: null },
        handoffs: 0,
      });
    });

    it('for an erased lead, no email or name', async () => {
      const erased = new EmbeddedReadStore({ path: ':memory:' });
      await replayInto(
        erased,
        await revealedLog(vault, ...leadHistory('mql', l1), leadPersonalDataErased({ leadId: l1 })),
        leadProjections,
      );
      expect(await findLead(erased, l1, vault)).toMatchObject({
        email: null,
        name: null,
        company: 'Analytical Engines Ltd',
        personalDataErased: true,
        score: 80,
        revision: 2,
      });
      await erased.close();
    });

    it('keeps email and name only as ciphertext, resolved through the vault', async () => {
      const stored = await store.collection<LeadSummaryDoc>('leads').findOne({ _id: l1 });
      expect(JSON.stringify(stored)).not.toMatch(/ada@example\.com|Ada Lovelace/);
      expect(stored?.email).toMatch(/^v2:/);
    });

    it('without access (a role that may not see personal data), email and name are null', async () => {
      expect(await findLead(store, l1, null)).toMatchObject({
        email: null,
        name: null,
        company: 'Analytical Engines Ltd',
        personalDataErased: false,
      });
      const page = await listLeads(store, { limit: 10 }, null);
      expect(page.items.map((item) => [item.email, item.name])).toEqual(
        page.items.map(() => [null, null]),
      );
    });

    it('once the key is destroyed, erased even before the erasure event is projected', async () => {
      const own = new InMemoryPersonalDataVault();
      const erased = new EmbeddedReadStore({ path: ':memory:' });
      await replayInto(erased, await revealedLog(own, ...leadHistory('mql', l1)), leadProjections);
      await own.destroyKeys(l1, []);
      expect(await findLead(erased, l1, own)).toMatchObject({
        email: null,
        name: null,
        personalDataErased: true,
      });
      await erased.close();
    });

    it('for an unknown lead, null', async () => {
      expect(await findLead(store, lead(99), vault)).toBeNull();
    });
  });

  describe('listLeads', () => {
    it('lists every lead in id order', async () => {
      const page = await listLeads(store, { limit: 100 }, vault);
      expect(idsOf(page.items)).toEqual([l1, l2, l3, l4, l5, l6]);
      expect(page.nextAfter).toBeNull();
    });

    it('filters by stage', async () => {
      expect(
        idsOf((await listLeads(store, { stage: 'accepted', limit: 10 }, vault)).items),
      ).toEqual([l2, l3]);
      expect(
        idsOf((await listLeads(store, { stage: 'nurturing', limit: 10 }, vault)).items),
      ).toEqual([]);
    });

    it('filters by owner', async () => {
      expect(idsOf((await listLeads(store, { owner: 'rep-2', limit: 10 }, vault)).items)).toEqual([
        l2,
        l4,
      ]);
      expect(idsOf((await listLeads(store, { owner: 'rep-1', limit: 10 }, vault)).items)).toEqual([
        l1,
        l3,
      ]);
    });

    it('filters by any campaign that touched the lead: source, prior touch or engagement', async () => {
      expect(
        idsOf((await listLeads(store, { campaignId: 'cmp-webinar', limit: 10 }, vault)).items),
      ).toEqual([l2, l4]);
      expect(
        idsOf((await listLeads(store, { campaignId: 'cmp-autumn', limit: 10 }, vault)).items),
      ).toEqual([l5]);
    });

    it('combines filters', async () => {
      const items = (
        await listLeads(
          store,
          {
            stage: 'accepted',
            owner: 'rep-2',
            campaignId: 'cmp-webinar',
            limit: 10,
          },
          vault,
        )
      ).items;
      expect(idsOf(items)).toEqual([l2]);
    });

    it.each([1, 2, 3, 4, 5, 6, 7])('pages of %i cover every lead exactly once', async (limit) => {
      const seen: string[] = [];
      let pages = 0;
      let after: string | undefined;
      for (;;) {
        const page = await listLeads(store, { limit, after }, vault);
        pages += 1;
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...idsOf(page.items));
        if (page.nextAfter === null) break;
        expect(page.nextAfter).toBe(page.items.at(-1)!.leadId);
        after = page.nextAfter;
      }
      expect(seen).toEqual([l1, l2, l3, l4, l5, l6]);
      // an exact multiple ends on a full page, not an empty one
      expect(pages).toBe(Math.ceil(6 / limit));
    });

    it('pages within a filter', async () => {
      const first = await listLeads(store, { owner: 'rep-2', limit: 1 }, vault);
      expect({ ids: idsOf(first.items), nextAfter: first.nextAfter }).toEqual({
        ids: [l2],
        nextAfter: l2,
      });
      const second = await listLeads(
        store,
        { owner: 'rep-2', limit: 1, after: first.nextAfter! },
        vault,
      );
      expect({ ids: idsOf(second.items), nextAfter: second.nextAfter }).toEqual({
        ids: [l4],
        nextAfter: null,
      });
    });
  });

  describe('business time ranges', () => {
    it('inRange builds a from-inclusive, to-exclusive filter, and none without bounds', () => {
      expect(inRange('capturedAt', {})).toEqual({});
      expect(inRange('capturedAt', { from: t0 })).toEqual({ capturedAt: { $gte: t0 } });
      expect(inRange('capturedAt', { from: t0, to: at(1) })).toEqual({
        capturedAt: { $gte: t0, $lt: at(1) },
      });
    });

    it('within agrees with inRange on the store, at both bounds', async () => {
      // every lead here was captured at t0
      const leads = store.collection<LeadSummaryDoc>('leads');
      const all = [l1, l2, l3, l4, l5, l6];
      const ranges = [
        { expected: all, range: { from: t0 } },
        { expected: all, range: { from: t0, to: at(1) } },
        { expected: [], range: { to: t0 } },
        { expected: [], range: { from: at(-1), to: t0 } },
      ];
      for (const { range, expected } of ranges) {
        const found = await leads.find(inRange('capturedAt', range), { sort: { _id: 1 } });
        expect({ range, ids: found.map((doc) => doc.leadId) }).toEqual({ range, ids: expected });
        expect({ range, within: within(t0, range) }).toEqual({
          range,
          within: expected.length > 0,
        });
      }
    });
  });
});
