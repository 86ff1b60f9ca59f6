import type { LeadEvent, LeadFact } from '@lead/domain';
import type { RecordedEvent } from '@lead/event-store';
import {
  at,
  leadAccepted,
  leadCaptured,
  leadConverted,
  leadEngaged,
  leadHandedOff,
  leadHandoffSlaBreached,
  leadHandoffSlaCorrected,
  leadLost,
  leadPersonalDataErased,
  leadProfileUpdated,
  leadRejected,
  leadScored,
  recorded,
  recordedLog,
  t0,
  testLeadId,
} from '@lead/testing';
import { EmbeddedReadStore } from '../embedded-read-store';
import { projectionsCheckpoint, replayInto } from '../projection-runner';
import {
  type LeadSummaryDoc,
  applyLeadSummary,
  leadSummaryProjection,
} from './lead-summary.projection';
import { leadProjections } from './lead-projections';
import { logHeadProjection } from './log-head.projection';

// The pure fold the runner performs, without a store.
const project = (events: RecordedEvent<LeadEvent>[]): LeadSummaryDoc | null =>
  events.reduce<LeadSummaryDoc | null>(applyLeadSummary, null);
const given = (...facts: LeadFact[]): LeadSummaryDoc | null => project(recordedLog(...facts));

const fastSla = { id: 'fast', acceptWithinMinutes: 120 };
const sealedEmail = { $encrypted: 'v1:aXY:dGFn:ZW1haWw' };
const sealedName = { $encrypted: 'v1:aXY:dGFn:bmFtZQ' };

describe('leadSummaryProjection', () => {
  it('routes every lead event to the lead it belongs to, into the leads collection', () => {
    const [captured] = recordedLog(leadCaptured());
    expect(leadSummaryProjection.collection).toBe('leads');
    expect(leadSummaryProjection.documentId(captured)).toBe(testLeadId);
    expect(leadSummaryProjection.documentId({ ...captured, streamId: 'other-1' })).toBeNull();
  });

  it('given a capture, then a captured lead with its source, campaigns and timestamps', () => {
    const captured = leadCaptured({
      occurredAt: t0,
      source: { campaignId: 'cmp-spring', channel: 'paid_search' },
      sourcedBy: 'partner',
      priorTouches: [
        { campaignId: 'cmp-webinar', channel: 'webinar', occurredAt: at(-600) },
        { campaignId: 'cmp-blog', channel: 'organic', occurredAt: at(-300) },
        { campaignId: 'cmp-spring', channel: 'display', occurredAt: at(-60) },
      ],
    });
    const event = recorded(captured, { position: 7, revision: 0, recordedAt: at(1) });
    // as the crypto-shredding store delivers it: plaintext in data, ciphertext in storedData
    const storedData = { ...event.data, email: sealedEmail, name: sealedName };
    const doc = project([{ ...event, storedData }]);

    expect(doc).toStrictEqual<LeadSummaryDoc>({
      _id: testLeadId,
      leadId: testLeadId,
      stage: 'captured',
      score: null,
      qualified: false,
      owner: null,
      sourcedBy: 'partner',
      source: { campaignId: 'cmp-spring', channel: 'paid_search' },
      email: sealedEmail.$encrypted,
      name: sealedName.$encrypted,
      title: null,
      company: 'Analytical Engines Ltd',
      industry: null,
      country: null,
      employees: null,
      personalDataErased: false,
      // distinct and sorted, prior touches included
      campaignIds: ['cmp-blog', 'cmp-spring', 'cmp-webinar'],
      capturedAt: t0,
      qualifiedAt: null,
      handedOffAt: null,
      acceptedAt: null,
      convertedAt: null,
      lostAt: null,
      lostReason: null,
      lostFrom: null,
      sqlAt: null,
      estimate: null,
      amount: null,
      currency: null,
      opportunityId: null,
      handoffs: [],
      automationDueAt: null,
      revision: 0,
      // updatedAt is knowledge time, capturedAt business time
      updatedAt: at(1),
      state: {
        stage: 'captured',
        leadId: testLeadId,
        score: null,
        qualified: false,
        owner: null,
        capturedAt: t0,
        lastMilestone: { kind: 'capture', at: t0 },
        handoffs: [],
        personalDataErased: false,
        profile: {
          title: null,
          company: 'Analytical Engines Ltd',
          industry: null,
          country: null,
          employees: null,
        },
      },
    });
  });

  it('given a profile on capture and updates, then it shows the profile, the title as ciphertext only', () => {
    const sealedTitle = { $encrypted: 'v1:aXY:dGFn:dGl0bGU' };
    const sealedNewTitle = { $encrypted: 'v1:aXY:dGFn:bmV3' };
    const [captured, updated, renamed] = recordedLog(
      leadCaptured({ title: 'CTO', country: 'DE', employees: 40 }),
      leadProfileUpdated({ industry: 'software', employees: 60, occurredAt: at(5) }),
      leadProfileUpdated({ title: 'CEO', company: 'Engines Inc', occurredAt: at(6) }),
    );
    const doc = project([
      { ...captured, storedData: { ...captured.data, title: sealedTitle } },
      updated,
      { ...renamed, storedData: { ...renamed.data, title: sealedNewTitle } },
    ]);
    expect(doc).toMatchObject({
      title: sealedNewTitle.$encrypted,
      company: 'Engines Inc',
      industry: 'software',
      country: 'DE',
      employees: 60,
      revision: 2,
    });
    // the domain state kept beside it holds no personal data in the clear
    expect(JSON.stringify(doc)).not.toMatch(/CTO|CEO/);
  });

  it('given an erasure, then the title is gone too', () => {
    const sealedTitle = { $encrypted: 'v1:aXY:dGFn:dGl0bGU' };
    const [captured, erased] = recordedLog(
      leadCaptured({ title: 'CTO' }),
      leadPersonalDataErased(),
    );
    const doc = project([
      { ...captured, storedData: { ...captured.data, title: sealedTitle } },
      erased,
    ]);
    expect(doc).toMatchObject({ title: null, personalDataErased: true });
  });

  it('given a capture without name or company, then both are null', () => {
    const [event] = recordedLog(leadCaptured({ name: undefined, company: undefined }));
    const doc = project([{ ...event, storedData: { ...event.data, email: sealedEmail } }]);
    expect(doc).toMatchObject({ name: null, company: null, email: sealedEmail.$encrypted });
  });

  it('given a capture read without its ciphertext (a plaintext log), then no personal field is kept', () => {
    const doc = given(leadCaptured());
    expect(doc).toMatchObject({ email: null, name: null, company: 'Analytical Engines Ltd' });
    expect(JSON.stringify(doc)).not.toMatch(/ada@example\.com|Ada Lovelace/);
  });

  it('given an event before any capture, then no document', () => {
    expect(given(leadScored({ occurredAt: at(5) }))).toBeNull();
  });

  it('given an engagement, then its campaign joins campaignIds once', () => {
    const doc = given(
      leadCaptured(),
      leadEngaged({ campaignId: 'cmp-autumn', channel: 'email', occurredAt: at(5) }),
      leadEngaged({ campaignId: 'cmp-autumn', channel: 'email', occurredAt: at(6) }),
    );
    expect(doc).toMatchObject({ stage: 'captured', campaignIds: ['cmp-autumn', 'cmp-spring'] });
  });

  it('given scores crossing the threshold, then mql with qualifiedAt set once, at the first crossing', () => {
    const doc = given(
      leadCaptured(),
      leadScored({ score: 40, occurredAt: at(5) }),
      leadScored({ score: 70, previousScore: 40, occurredAt: at(10) }),
      leadScored({ score: 90, previousScore: 70, occurredAt: at(15) }),
    );
    expect(doc).toMatchObject({ stage: 'mql', score: 90, qualified: true, qualifiedAt: at(10) });
  });

  it('given a score below the threshold, then still captured and not qualified', () => {
    const doc = given(leadCaptured(), leadScored({ score: 40, occurredAt: at(5) }));
    expect(doc).toMatchObject({
      stage: 'captured',
      score: 40,
      qualified: false,
      qualifiedAt: null,
    });
  });

  it('given a handoff, then handed_off to the rep with one first handoff entry', () => {
    const handoff = leadHandedOff({ toRep: 'rep-7', slaPolicy: fastSla, occurredAt: at(45) });
    const doc = project([
      recorded(leadCaptured(), { position: 1, revision: 0 }),
      recorded(leadScored({ occurredAt: at(10) }), { position: 2, revision: 1 }),
      recorded(handoff, { position: 3, revision: 2, recordedAt: at(46) }),
    ]);

    expect(doc).toMatchObject({
      stage: 'handed_off',
      owner: 'rep-7',
      handedOffAt: at(45),
      revision: 2,
    });
    expect(doc!.handoffs).toStrictEqual([
      {
        handoffId: handoff.metadata.eventId,
        toRep: 'rep-7',
        handedOffAt: at(45),
        recordedAt: at(46),
        dueAt: at(165),
        month: '2026-01',
        slaPolicy: fastSla,
        override: null,
        first: true,
        speedToLeadMinutes: 45,
        response: null,
        respondedAt: null,
        respondedRecordedAt: null,
        respondedAfterAlert: false,
        respondedBy: null,
        rejectionReason: null,
        responseMinutes: null,
        breachAlertedAt: null,
        correction: null,
        breachEventId: null,
        remedy: null,
        reassignedFrom: null,
        activities: [],
        dispute: null,
        scoreAtHandoff: 80,
      },
    ]);
  });

  it('given a handoff below the threshold with an override, then the override is kept on the entry', () => {
    const doc = given(
      leadCaptured(),
      leadHandedOff({ override: { reason: 'CEO referral' }, occurredAt: at(3) }),
    );
    expect(doc!.qualifiedAt).toBeNull();
    expect(doc!.handoffs[0]).toMatchObject({
      override: { reason: 'CEO referral' },
      speedToLeadMinutes: 3,
      scoreAtHandoff: null,
    });
  });

  it('given an accepted handoff, then the response, its minutes and the owner', () => {
    const handoff = leadHandedOff({ slaPolicy: fastSla, occurredAt: at(20) });
    const doc = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      handoff,
      leadAccepted({
        handoffEventId: handoff.metadata.eventId,
        acceptedBy: 'rep-1',
        occurredAt: at(95),
      }),
    );
    expect(doc).toMatchObject({
      stage: 'accepted',
      owner: 'rep-1',
      acceptedAt: at(95),
      revision: 3,
    });
    expect(doc!.handoffs).toEqual([
      expect.objectContaining({
        response: 'accepted',
        respondedAt: at(95),
        respondedRecordedAt: at(95),
        respondedAfterAlert: false,
        respondedBy: 'rep-1',
        rejectionReason: null,
        responseMinutes: 75,
      }),
    ]);
  });

  it('given a rejection and a second handoff, then two entries and only the first counts as first', () => {
    const first = leadHandedOff({ toRep: 'rep-1', occurredAt: at(20) });
    const second = leadHandedOff({ toRep: 'rep-2', slaPolicy: fastSla, occurredAt: at(200) });
    const rejected = leadRejected({
      handoffEventId: first.metadata.eventId,
      reason: 'not_icp',
      occurredAt: at(50),
    });
    const doc = project([
      ...recordedLog(leadCaptured(), leadScored({ occurredAt: at(10) }), first),
      // the rejecting rep is the actor of the rejection
      recorded(rejected, { position: 4, revision: 3, actor: { id: 'rep-1', role: 'sales' } }),
      recorded(second, { position: 5, revision: 4 }),
    ]);

    expect(doc).toMatchObject({
      stage: 'handed_off',
      owner: 'rep-2',
      handedOffAt: at(20),
      acceptedAt: null,
    });
    expect(doc!.handoffs).toEqual([
      expect.objectContaining({
        handoffId: first.metadata.eventId,
        first: true,
        response: 'rejected',
        respondedAt: at(50),
        respondedBy: 'rep-1',
        rejectionReason: 'not_icp',
        responseMinutes: 30,
      }),
      expect.objectContaining({
        handoffId: second.metadata.eventId,
        toRep: 'rep-2',
        first: false,
        dueAt: at(320),
        speedToLeadMinutes: 200,
        response: null,
      }),
    ]);
  });

  it('given a rejection, then nurturing with no owner', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const doc = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      handoff,
      leadRejected({ handoffEventId: handoff.metadata.eventId, occurredAt: at(50) }),
    );
    expect(doc).toMatchObject({ stage: 'nurturing', owner: null, qualified: true });
  });

  it('given a response naming another handoff, then no entry is answered', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const doc = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      handoff,
      leadAccepted({ handoffEventId: 'not-a-handoff', occurredAt: at(50) }),
    );
    expect(doc!.handoffs[0]).toMatchObject({ response: null, respondedAt: null });
  });

  it('given an SLA breach alert, then breachAlertedAt on that handoff only', () => {
    const first = leadHandedOff({ occurredAt: at(20) });
    const second = leadHandedOff({ slaPolicy: fastSla, occurredAt: at(100) });
    const doc = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      first,
      leadRejected({ handoffEventId: first.metadata.eventId, occurredAt: at(50) }),
      second,
      leadHandoffSlaBreached({
        handoffEventId: second.metadata.eventId,
        dueAt: at(220),
        occurredAt: at(221),
      }),
    );
    expect(doc!.stage).toBe('handed_off');
    expect(doc!.handoffs.map((handoff) => handoff.breachAlertedAt)).toEqual([null, at(221)]);
  });

  it('given a response recorded after the breach alert, then it is marked so, with its claimed and recorded times', () => {
    const handoff = leadHandedOff({ slaPolicy: fastSla, occurredAt: at(20) });
    const handoffEventId = handoff.metadata.eventId;
    const doc = project([
      ...recordedLog(leadCaptured(), leadScored({ occurredAt: at(10) }), handoff),
      recorded(leadHandoffSlaBreached({ handoffEventId, dueAt: at(140), occurredAt: at(141) }), {
        position: 4,
        revision: 3,
      }),
      // the rep claims an on-time answer, recorded long after the alert
      recorded(leadAccepted({ handoffEventId, occurredAt: at(25) }), {
        position: 5,
        revision: 4,
        recordedAt: at(300),
      }),
    ]);
    expect(doc!.handoffs[0]).toMatchObject({
      respondedAt: at(25),
      respondedRecordedAt: at(300),
      respondedAfterAlert: true,
      responseMinutes: 5,
      breachAlertedAt: at(141),
    });
  });

  it('given an admin correction, then the verdict, reason, admin and recording time on that handoff', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const handoffEventId = handoff.metadata.eventId;
    const doc = project([
      ...recordedLog(
        leadCaptured(),
        leadScored({ occurredAt: at(10) }),
        handoff,
        leadAccepted({ handoffEventId, occurredAt: at(30) }),
      ),
      recorded(
        leadHandoffSlaCorrected({ handoffEventId, verdict: 'breached', reason: 'backdated' }),
        { position: 5, revision: 4, recordedAt: at(400), actor: { id: 'admin-1', role: 'admin' } },
      ),
    ]);
    expect(doc!.handoffs[0].correction).toEqual({
      verdict: 'breached',
      reason: 'backdated',
      by: 'admin-1',
      at: at(400),
    });
  });

  it('given a conversion, then converted with amount, currency and opportunity', () => {
    const handoff = leadHandedOff({ occurredAt: at(20) });
    const doc = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      handoff,
      leadAccepted({ handoffEventId: handoff.metadata.eventId, occurredAt: at(60) }),
      leadConverted({
        amount: 1_234_567,
        currency: 'USD',
        opportunityId: 'opp-9',
        occurredAt: at(500),
      }),
    );
    expect(doc).toMatchObject({
      stage: 'converted',
      owner: 'rep-1',
      convertedAt: at(500),
      amount: 1_234_567,
      currency: 'USD',
      opportunityId: 'opp-9',
      revision: 4,
    });
  });

  it('given a loss, then lost with its time and reason', () => {
    const doc = given(leadCaptured(), leadLost({ reason: 'no_budget', occurredAt: at(30) }));
    expect(doc).toMatchObject({
      stage: 'lost',
      lostAt: at(30),
      lostReason: 'no_budget',
      convertedAt: null,
    });
  });

  it('given a personal data erasure, then email and name are gone and every figure stays', () => {
    const before = given(leadCaptured(), leadScored({ occurredAt: at(10) }));
    const after = given(
      leadCaptured(),
      leadScored({ occurredAt: at(10) }),
      leadPersonalDataErased({ occurredAt: at(99) }),
    );
    expect(after).toStrictEqual({
      ...before,
      email: null,
      name: null,
      personalDataErased: true,
      // the decision state remembers the erasure, so a second one records nothing
      state: { ...before!.state, personalDataErased: true },
      revision: 2,
      updatedAt: at(99),
    });
  });

  it('given a capture read after erasure (an as-of replay before the erasure event), then it is erased already', () => {
    const captured = leadCaptured();
    const erasedOnRead = {
      ...captured,
      data: { ...captured.data, email: null, name: null, personalDataErased: true },
    } as unknown as LeadFact;
    const doc = given(erasedOnRead, leadScored({ occurredAt: at(10) }));
    expect(doc).toStrictEqual({
      ...given(captured, leadScored({ occurredAt: at(10) })),
      email: null,
      name: null,
      personalDataErased: true,
    });
  });

  it('sets revision and updatedAt from the last event applied', () => {
    const captured = leadCaptured();
    const scored = leadScored({ occurredAt: at(10) });
    const doc = project([
      recorded(captured, { position: 1, revision: 0, recordedAt: at(2) }),
      recorded(scored, { position: 9, revision: 1, recordedAt: at(12) }),
    ]);
    expect(doc).toMatchObject({
      revision: 1,
      updatedAt: at(12),
      capturedAt: t0,
      qualifiedAt: at(10),
    });
  });

  it('applying LeadCaptured to an existing document changes nothing', () => {
    const events = recordedLog(leadCaptured(), leadScored({ occurredAt: at(10) }));
    const doc = project(events)!;
    const again = recorded(leadCaptured({ email: 'someone@else.com' }), {
      position: 3,
      revision: 2,
    });
    expect(applyLeadSummary(doc, again)).toBe(doc);
  });

  it('applied twice through the runner, the documents stay unchanged', async () => {
    const first = leadHandedOff({ occurredAt: at(20) });
    const second = leadHandedOff({ toRep: 'rep-2', occurredAt: at(80) });
    const events = recordedLog(
      leadCaptured(),
      leadEngaged({ campaignId: 'cmp-autumn', occurredAt: at(5) }),
      leadScored({ occurredAt: at(10) }),
      first,
      leadRejected({ handoffEventId: first.metadata.eventId, occurredAt: at(50) }),
      second,
      leadAccepted({
        handoffEventId: second.metadata.eventId,
        acceptedBy: 'rep-2',
        occurredAt: at(90),
      }),
      leadConverted({ occurredAt: at(300) }),
    );
    const store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, events, [leadSummaryProjection]);
    const once = await store.collection<LeadSummaryDoc>('leads').find({});

    await replayInto(store, events, [leadSummaryProjection]);
    // an overlapping re-delivery (a batch retried after a crash) is absorbed as well
    await replayInto(store, events.slice(3), [leadSummaryProjection]);
    const twice = await store.collection<LeadSummaryDoc>('leads').find({});

    expect(twice).toStrictEqual(once);
    expect(twice[0].handoffs).toHaveLength(2);
    expect(twice[0].campaignIds).toEqual(['cmp-autumn', 'cmp-spring']);
    // the stored document is the pure fold plus the runner's position
    expect(twice).toStrictEqual([{ ...project(events), _position: '00000000000000000008' }]);
    expect(await store.checkpoint(projectionsCheckpoint)).toBe(8n);
    await store.close();
  });
});

describe('logHeadProjection', () => {
  it('keeps the last event seen, and applying a batch twice leaves it there', async () => {
    const events = recordedLog(leadCaptured(), leadScored({ occurredAt: at(10) }));
    const store = new EmbeddedReadStore({ path: ':memory:' });
    await replayInto(store, events, leadProjections);
    await replayInto(store, events.slice(0, 1), leadProjections);
    await replayInto(store, events, leadProjections);

    expect(await store.collection('log_head').find({})).toStrictEqual([
      { _id: 'head', position: '2', recordedAt: at(10), _position: '00000000000000000002' },
    ]);
    expect(logHeadProjection.documentId(events[0])).toBe('head');
    await store.close();
  });
});
