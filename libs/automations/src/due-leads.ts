import type { LeadSummaryDoc, ReadStore } from '@lead/read-models';

const pageSize = 100;

const nextTurnOfTheLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The leads the SLA automations have work on by `cutoff` (`automationDueAt`), earliest first,
 * read a page at a time through that field's index with the event loop free between pages: a
 * backlog (the first start on a long history) never becomes one long synchronous read. Each lead
 * comes once per pass, even when its alert lands in the read model meanwhile; a page that brings
 * no new lead (more ties on one deadline than a page holds) ends the pass, the next one goes on.
 */
export async function* dueLeads(
  readStore: ReadStore,
  cutoff: string,
): AsyncGenerator<LeadSummaryDoc> {
  const leads = readStore.collection<LeadSummaryDoc>('leads');
  const seen = new Set<string>();
  let from: string | null = null;
  for (;;) {
    const page = await leads.find(
      { automationDueAt: from === null ? { $lte: cutoff } : { $gte: from, $lte: cutoff } },
      { sort: { automationDueAt: 1, _id: 1 }, limit: pageSize },
    );
    const fresh = page.filter((lead) => !seen.has(lead._id));
    for (const lead of fresh) {
      seen.add(lead._id);
      yield lead;
    }
    if (page.length < pageSize || fresh.length === 0) return;
    // keyset on the deadline: the leads of the last one come again and are skipped as seen
    from = page.at(-1)!.automationDueAt;
    await nextTurnOfTheLoop();
  }
}
