import type { Filter, LeadSummaryDoc, ReadStore } from '@lead/read-models';

const pageSize = 100;

const nextTurnOfTheLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The leads the SLA automations have work on by `cutoff` (`automationDueAt`), earliest first,
 * read a page at a time through that field's index with the event loop free between pages: a
 * backlog (the first start on a long history) never becomes one long synchronous read. Pages
 * follow the key (deadline, id): after a full page, the rest of its last deadline's leads by id,
 * then the later deadlines, so any number of ties on one deadline is read in one pass. Each lead
 * comes once per pass, even when its alert lands in the read model meanwhile and moves it.
 */
export async function* dueLeads(
  readStore: ReadStore,
  cutoff: string,
): AsyncGenerator<LeadSummaryDoc> {
  const leads = readStore.collection<LeadSummaryDoc>('leads');
  const seen = new Set<string>();
  let filter: Filter = { automationDueAt: { $lte: cutoff } };
  for (;;) {
    const page = await leads.find(filter, {
      sort: { automationDueAt: 1, _id: 1 },
      limit: pageSize,
    });
    for (const lead of page) {
      if (seen.has(lead._id)) continue;
      seen.add(lead._id);
      yield lead;
    }
    const last = page.at(-1);
    const onTies = 'automationDueAt' in filter && typeof filter.automationDueAt === 'string';
    if (page.length === pageSize && last) {
      filter = { automationDueAt: last.automationDueAt, _id: { $gt: last._id } };
    } else if (onTies) {
      // the ties are read: on to the later deadlines
      filter = { automationDueAt: { $gt: filter.automationDueAt, $lte: cutoff } };
    } else {
      return;
    }
    await nextTurnOfTheLoop();
  }
}
