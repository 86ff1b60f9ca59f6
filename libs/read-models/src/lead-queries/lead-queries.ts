import type { LeadStage } from '@lead/domain';
import type { LeadSummaryDoc } from '../lead-projections/lead-summary.projection';
import type { Filter, ReadStore } from '../read-store.port';

export type LeadView = ReturnType<typeof toLeadView>;

export const toLeadView = (doc: LeadSummaryDoc) => ({
  leadId: doc.leadId,
  stage: doc.stage,
  score: doc.score,
  qualified: doc.qualified,
  owner: doc.owner,
  sourcedBy: doc.sourcedBy,
  source: doc.source,
  email: doc.email,
  name: doc.name,
  company: doc.company,
  personalDataErased: doc.personalDataErased,
  campaignIds: doc.campaignIds,
  timestamps: {
    capturedAt: doc.capturedAt,
    qualifiedAt: doc.qualifiedAt,
    handedOffAt: doc.handedOffAt,
    acceptedAt: doc.acceptedAt,
    convertedAt: doc.convertedAt,
    lostAt: doc.lostAt,
  },
  amount: doc.amount === null ? null : { amount: doc.amount, currency: doc.currency },
  opportunityId: doc.opportunityId,
  lostReason: doc.lostReason,
  handoffs: doc.handoffs.length,
  revision: doc.revision,
  updatedAt: doc.updatedAt,
});

export const findLead = async (store: ReadStore, leadId: string): Promise<LeadView | null> => {
  const doc = await store.collection<LeadSummaryDoc>('leads').findOne({ _id: leadId });
  return doc && toLeadView(doc);
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
    items: page.map(toLeadView),
    nextAfter: docs.length > query.limit ? page.at(-1)!.leadId : null,
  };
};
