import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NewEvent } from '@lead/event-store';
import { loadConfig, mulberry32, openEventStore } from '@lead/runtime';
import { uuidV7At } from './stats';

// Bump when the shape of the generated histories changes, so stale cached logs are not reused.
// v2: written through the app's own composition (personal fields encrypted, keys.sqlite).
const generatorVersion = 2;
/** The files of a DATA_DIR that hold the log: the events and the personal-data keys. */
export const logFiles = ['events.sqlite', 'keys.sqlite'];
const cacheDir = join(__dirname, '..', '.cache');
const start = Date.parse('2025-01-06T08:00:00.000Z');
const minute = 60_000;
const batchEvents = 20_000;

type Planned = { at: number; streamId: string; event: NewEvent };

const campaigns = Array.from({ length: 48 }, (_, i) => `cmp-${(i + 1).toString().padStart(3, '0')}`);
const channels = ['paid_search', 'email', 'webinar', 'organic', 'display', 'event', 'social', 'referral'];
const kinds = ['email_click', 'webinar', 'content_download', 'ad_click', 'event', 'demo_request'];
const reps = Array.from({ length: 40 }, (_, i) => `rep-${i + 1}`);
const currencies = ['USD', 'USD', 'USD', 'EUR', 'GBP'];
const lossReasons = ['no_budget', 'competitor', 'no_response', 'timing'];
const rejections = ['not_icp', 'bad_contact', 'duplicate', 'not_ready', 'other'] as const;

// A small binary heap of planned events ordered by time (then insertion), so the log
// interleaves many leads the way a real one does.
class EventQueue {
  private readonly items: (Planned & { seq: number })[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items[0]?.at ?? Number.POSITIVE_INFINITY;
  }
  push(planned: Planned): void {
    const items = this.items;
    items.push({ ...planned, seq: this.seq++ });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): Planned {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(left, smallest)) smallest = left;
        if (right < items.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/**
 * Realistic lead histories from a seed: capture (with prior touches), engagements, scores, a
 * handoff for most MQLs, accept or reject (and sometimes a second handoff), then conversion or
 * loss. About seven events per lead; every history is one the decider would have produced.
 */
const leadHistories = (seed: number) => {
  const random = mulberry32(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  let counter = 0;
  const iso = (at: number): string => new Date(at).toISOString();

  return (capturedAt: number): Planned[] => {
    const leadId = uuidV7At(capturedAt, counter++);
    const streamId = `lead-${leadId}`;
    const planned: Planned[] = [];
    const actorFor = (role: 'marketing' | 'sales') => ({
      id: role === 'marketing' ? `mkt-${between(1, 6)}` : pick(reps),
      role,
    });
    const add = (at: number, type: string, data: Record<string, unknown>, role: 'marketing' | 'sales'): string => {
      const eventId = uuidV7At(at, counter++);
      planned.push({
        at,
        streamId,
        event: {
          type,
          data: { leadId, ...data },
          metadata: {
            eventId,
            occurredAt: iso(at),
            actor: actorFor(role),
            correlationId: uuidV7At(at, counter++),
            causationId: null,
            schemaVersion: 1,
          },
        },
      });
      return eventId;
    };

    let at = capturedAt;
    const later = (minMinutes: number, maxMinutes: number): number => (at += between(minMinutes, maxMinutes) * minute);
    const source = { campaignId: pick(campaigns), channel: pick(channels) };
    const priorTouches = Array.from({ length: between(0, 2) }, () => ({
      campaignId: pick(campaigns),
      channel: pick(channels),
      occurredAt: iso(capturedAt - between(60, 20_000) * minute),
    })).sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1));
    const sourced = random();
    add(
      at,
      'LeadCaptured',
      {
        email: `lead${counter}@example.com`,
        name: `Lead ${counter}`,
        company: `Company ${between(1, 5000)}`,
        source,
        sourcedBy: sourced < 0.7 ? 'marketing' : sourced < 0.9 ? 'sales' : 'partner',
        priorTouches,
      },
      'marketing',
    );
    for (let i = between(0, 3); i > 0; i--) {
      add(later(30, 4000), 'LeadEngaged', { campaignId: pick(campaigns), channel: pick(channels), kind: pick(kinds) }, 'marketing');
    }
    let previousScore: number | null = null;
    let qualified = false;
    for (let i = between(1, 2); i > 0; i--) {
      const score = between(20, 99);
      qualified = score >= 60;
      const reasons = [
        { rule: 'fit', points: Math.round(score * 0.6) },
        { rule: 'engagement', points: score - Math.round(score * 0.6) },
      ];
      add(later(5, 600), 'LeadScored', { score, previousScore, qualified, reasons, model: 'rules@1' }, 'marketing');
      previousScore = score;
    }
    if (!qualified) {
      if (random() < 0.4) add(later(600, 30_000), 'LeadLost', { reason: pick(lossReasons) }, 'marketing');
      return planned;
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const toRep = pick(reps);
      const handedOffAt = later(10, 2000);
      const slaPolicy = { id: 'accept-within-1440m', acceptWithinMinutes: 1440 };
      const handoffEventId = add(
        handedOffAt,
        'LeadHandedOff',
        { toRep, fromTeam: 'marketing', slaPolicy, dueAt: iso(handedOffAt + 1440 * minute) },
        'marketing',
      );
      const response = random();
      if (response < 0.08) return planned; // no response yet: open or breached
      if (response < 0.28) {
        add(later(10, 3000), 'LeadRejected', { reason: pick(rejections), handoffEventId }, 'sales');
        if (random() < 0.6) return planned;
        continue;
      }
      add(later(5, 2000), 'LeadAccepted', { acceptedBy: toRep, handoffEventId }, 'sales');
      if (random() < 0.5) add(later(60, 10_000), 'LeadEngaged', { campaignId: pick(campaigns), channel: pick(channels), kind: 'demo_request' }, 'marketing');
      const outcome = random();
      if (outcome < 0.5) {
        add(later(1000, 60_000), 'LeadConverted', { amount: between(500, 250_000) * 100 + between(0, 99), currency: pick(currencies), opportunityId: `opp-${counter}` }, 'sales');
      } else if (outcome < 0.8) {
        add(later(1000, 60_000), 'LeadLost', { reason: pick(lossReasons) }, 'sales');
      }
      return planned;
    }
    return planned;
  };
};

/**
 * Appends `events` generated events into `dataDir` through the event store the app opens
 * (SqliteEventStore behind personal-data encryption), in large group commits: every append of
 * one batch is issued in the same tick. recordedAt follows the simulated time.
 */
export const generateLeadLog = async (dataDir: string, events: number, seed: number): Promise<{ leads: number }> => {
  const random = mulberry32(seed ^ 0x5eed);
  const history = leadHistories(seed);
  let now = start;
  const store = await openEventStore(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }), () => new Date(now));
  const queue = new EventQueue();
  const revisions = new Map<string, number>();
  let emitted = 0;
  let leads = 0;
  let captureAt = start;
  let batch: Planned[] = [];

  const flush = async (): Promise<void> => {
    const byStream = new Map<string, NewEvent[]>();
    for (const { streamId, event } of batch) {
      const list = byStream.get(streamId);
      if (list) list.push(event);
      else byStream.set(streamId, [event]);
    }
    // knowledge time: a little after the last business time in the batch
    now = batch[batch.length - 1].at + minute;
    await Promise.all(
      [...byStream].map(([streamId, list]) => {
        const revision = revisions.get(streamId);
        revisions.set(streamId, (revision ?? -1) + list.length);
        return store.append(streamId, list, revision ?? 'no_stream');
      }),
    );
    batch = [];
  };

  while (emitted < events) {
    // about 450 new leads a day
    captureAt += Math.floor(random() * 6 * minute) + 1;
    while (queue.size > 0 && queue.peekTime() <= captureAt && emitted < events) {
      batch.push(queue.pop());
      emitted++;
      if (batch.length >= batchEvents) await flush();
    }
    for (const planned of history(captureAt)) queue.push(planned);
    leads++;
  }
  if (batch.length > 0) await flush();
  await store.close();
  return { leads };
};

/** The DATA_DIR holding the cached log for (events, seed), generated on first use. */
export const cachedLeadLog = async (
  events: number,
  seed: number,
  log: (line: string) => void,
): Promise<string> => {
  const dir = join(cacheDir, `lead-log-v${generatorVersion}-${events}-seed${seed}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`generating a log of ${events} events (seed ${seed}); cached for later runs...`);
  const began = performance.now();
  const { leads } = await generateLeadLog(partial, events, seed);
  writeFileSync(join(partial, 'complete'), `${new Date().toISOString()}\n`);
  renameSync(partial, dir);
  log(`generated ${events} events (${leads} leads) in ${((performance.now() - began) / 1000).toFixed(1)} s -> ${dir}`);
  return dir;
};

/** A private copy of a cached log (events and keys), for a process that opens it read-write. */
export const copyLog = (logDir: string, dataDir: string): void => {
  mkdirSync(dataDir, { recursive: true });
  for (const file of logFiles) copyFileSync(join(logDir, file), join(dataDir, file));
};
