import type { LeadStage } from '@lead/domain';
import { type PersonalDataVault, revealPersonalData } from '@lead/event-store';
import type { LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { Filter, ReadStore } from '../read-store.port';

export type LeadView = ReturnType<typeof toLeadView>;

/** The vault to resolve email, name and title through; null: the caller may not see them. */
export type PersonalDataAccess = PersonalDataVault | null;

type PersonalFields = {
  email: unknown;
  name: unknown;
  title: unknown;
  personalDataErased: boolean;
};

export const toLeadView = (doc: LeadSummaryDoc, personal: PersonalFields) => ({
  leadId: doc.leadId,
  stage: doc.stage,
  score: doc.score,
  qualified: doc.qualified,
  owner: doc.owner,
  sourcedBy: doc.sourcedBy,
  source: doc.source,
  email: personal.email as string | null,
  name: personal.name as string | null,
  company: doc.company,
  profile: {
    title: personal.title as string | null,
    company: doc.company,
    // absent from summaries projected before the profile existed (rebuilt on start)
    industry: doc.industry ?? null,
    country: doc.country ?? null,
    employees: doc.employees ?? null,
  },
  personalDataErased: personal.personalDataErased,
  campaignIds: doc.campaignIds,
  timestamps: {
    capturedAt: doc.capturedAt,
    qualifiedAt: doc.qualifiedAt,
    handedOffAt: doc.handedOffAt,
    acceptedAt: doc.acceptedAt,
    sqlAt: doc.sqlAt,
    convertedAt: doc.convertedAt,
    lostAt: doc.lostAt,
  },
  // a conversion sets amount and currency together
  amount: doc.amount === null ? null : { amount: doc.amount, currency: doc.currency! },
  opportunityId: doc.opportunityId,
  estimate: doc.estimate,
  lostReason: doc.lostReason,
  lostFrom: doc.lostFrom,
  handoffs: doc.handoffs.length,
  activities: doc.handoffs.reduce((sum, handoff) => sum + handoff.activities.length, 0),
  disputes: doc.handoffs.flatMap(({ handoffId, dispute }) =>
    dispute ? [{ handoffId, ...dispute }] : [],
  ),
  revision: doc.revision,
  updatedAt: doc.updatedAt,
});

// One vault read per page. A destroyed key reads as erased even before the erasure event is
// projected.
const toLeadViews = async (
  docs: readonly LeadSummaryDoc[],
  access: PersonalDataAccess,
): Promise<LeadView[]> => {
  if (access === null) {
    return docs.map((doc) =>
      toLeadView(doc, {
        email: null,
        name: null,
        title: null,
        personalDataErased: doc.personalDataErased,
      }),
    );
  }
  const revealed = await revealPersonalData(
    access,
    docs.map((doc) => ({
      subjectId: doc.leadId,
      fields: {
        email: doc.email === null ? null : { $encrypted: doc.email },
        name: doc.name === null ? null : { $encrypted: doc.name },
        title: doc.title == null ? null : { $encrypted: doc.title },
      },
    })),
  );
  return docs.map((doc, index) => {
    const { fields, erased } = revealed[index];
    return toLeadView(doc, {
      email: fields.email,
      name: fields.name,
      title: fields.title,
      personalDataErased: doc.personalDataErased || erased,
    });
  });
};

export const findLead = async (
  store: ReadStore,
  leadId: string,
  access: PersonalDataAccess,
): Promise<LeadView | null> => {
  const doc = await store.collection<LeadSummaryDoc>('leads').findOne({ _id: leadId });
  return doc && (await toLeadViews([doc], access))[0];
};

export type LeadListQuery = {
  stage?: LeadStage;
  owner?: string;
  campaignId?: string;
  limit: number;
  /** the last leadId of the previous page */
  after?: string;
};

// Keyset paging on the lead id: stable under concurrent inserts, and UUIDv7 ids make it
// chronological for leads captured without a client-chosen id.
export const listLeads = async (
  store: ReadStore,
  query: LeadListQuery,
  access: PersonalDataAccess,
): Promise<{ items: LeadView[]; nextAfter: string | null }> => {
  const filter: Filter = {
    ...(query.stage ? { stage: query.stage } : {}),
    ...(query.owner ? { owner: query.owner } : {}),
    ...(query.campaignId ? { campaignIds: query.campaignId } : {}),
    ...(query.after ? { _id: { $gt: query.after } } : {}),
  };
  const docs = await store
    .collection<LeadSummaryDoc>('leads')
    .find(filter, { sort: { _id: 1 }, limit: query.limit + 1 });
  const page = docs.slice(0, query.limit);
  return {
    items: await toLeadViews(page, access),
    nextAfter: docs.length > query.limit ? page.at(-1)!.leadId : null,
  };
};
