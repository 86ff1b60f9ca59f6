import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// One throttler's hits of a caller: their expiry times, oldest first (each is the hit's time plus
// the same ttl, so they only grow), live from `head` on.
type Hits = { expiries: number[]; head: number };
type Caller = {
  expiresAt: number;
  blockExpiresAt: number;
  isBlocked: boolean;
  hits: Map<string, Hits>;
};

const sweepIntervalMs = 60_000;

const live = (hits: Hits): number => hits.expiries.length - hits.head;

/**
 * The answers of @nestjs/throttler's in-memory storage at a constant cost per hit. Its storage
 * filters every hit of the window on each request (a new array of up to limit-per-minute entries),
 * so a busy caller paid for all its earlier hits of the minute; here expired hits leave from the
 * front of a queue. Callers with nothing live are forgotten at most once a minute, on a hit.
 */
export class RateLimitStorage implements ThrottlerStorage {
  private readonly callers = new Map<string, Caller>();
  private nextSweep = 0;

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    this.sweep(now);
    let caller = this.callers.get(key);
    if (!caller) {
      caller = { expiresAt: now + ttl, blockExpiresAt: 0, isBlocked: false, hits: new Map() };
      this.callers.set(key, caller);
    }
    let hits = caller.hits.get(throttlerName);
    if (!hits) caller.hits.set(throttlerName, (hits = { expiries: [], head: 0 }));
    prune(hits, now);
    let timeToExpire = Math.ceil((caller.expiresAt - now) / 1000);
    if (timeToExpire <= 0) {
      caller.expiresAt = now + ttl;
      timeToExpire = Math.ceil(ttl / 1000);
    }
    const hit = () => hits.expiries.push(now + ttl);

    if (blockDuration <= 0) {
      const isBlocked = live(hits) >= limit;
      if (!isBlocked) hit();
      const timeToBlockExpire =
        live(hits) > 0 ? Math.ceil((hits.expiries[hits.head] - now) / 1000) : timeToExpire;
      return Promise.resolve({
        totalHits: live(hits) + (isBlocked ? 1 : 0),
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToBlockExpire : 0,
      });
    }
    if (!caller.isBlocked) hit();
    if (live(hits) > limit && !caller.isBlocked) {
      caller.isBlocked = true;
      caller.blockExpiresAt = now + blockDuration;
    }
    const timeToBlockExpire = Math.ceil((caller.blockExpiresAt - now) / 1000);
    if (timeToBlockExpire <= 0 && caller.isBlocked) {
      caller.isBlocked = false;
      hits.expiries = [];
      hits.head = 0;
      hit();
    }
    return Promise.resolve({
      totalHits: live(hits),
      timeToExpire,
      isBlocked: caller.isBlocked,
      timeToBlockExpire,
    });
  }

  /** the callers it holds (for tests) */
  trackedKeys(): string[] {
    return [...this.callers.keys()];
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + sweepIntervalMs;
    for (const [key, caller] of this.callers) {
      if (caller.isBlocked && caller.blockExpiresAt > now) continue;
      if (caller.expiresAt > now) continue;
      if ([...caller.hits.values()].some((hits) => (prune(hits, now), live(hits) > 0))) continue;
      this.callers.delete(key);
    }
  }
}

const prune = (hits: Hits, now: number): void => {
  while (hits.head < hits.expiries.length && hits.expiries[hits.head] <= now) hits.head++;
  // drop the expired front now and then, so the array does not grow for ever
  if (hits.head > 1_024 && hits.head * 2 > hits.expiries.length) {
    hits.expiries = hits.expiries.slice(hits.head);
    hits.head = 0;
  }
};
