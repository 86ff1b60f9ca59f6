import type { EventStore } from '@lead/event-store';
import { WriteStatus } from './write-status';

const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

const storeFailingWith = (outcomes: Array<Error | null>): EventStore =>
  ({
    append: () => {
      const outcome = outcomes.shift();
      return outcome ? Promise.reject(outcome) : Promise.resolve({ nextRevision: 0, position: 1n });
    },
  }) as unknown as EventStore;

describe('WriteStatus', () => {
  let now = new Date('2026-11-30T10:00:00.000Z');
  const clock = () => now;

  it('reports a storage failure until an append succeeds', async () => {
    const status = new WriteStatus(clock);
    const store = status.watch(storeFailingWith([full, null]));
    await expect(store.append('lead-1', [], 'any')).rejects.toThrow('full');
    expect(status.failing()).toEqual({
      at: now.toISOString(),
      error: expect.stringContaining('SQLITE_FULL'),
    });
    await store.append('lead-1', [], 'any');
    expect(status.failing()).toBeNull();
    expect(status.failedWrites()).toBe(1);
  });

  it('stops reporting a failure after its report period, so an idle instance is not locked out', async () => {
    const status = new WriteStatus(clock, 30_000);
    const store = status.watch(storeFailingWith([full]));
    await expect(store.append('lead-1', [], 'any')).rejects.toThrow('full');
    now = new Date(now.getTime() + 30_000);
    expect(status.failing()).not.toBeNull();
    now = new Date(now.getTime() + 1);
    expect(status.failing()).toBeNull();
    expect(status.failedWrites()).toBe(1);
  });

  it('ignores refusals that are not storage failures', async () => {
    const status = new WriteStatus(clock);
    const store = status.watch(storeFailingWith([new Error('revision conflict')]));
    await expect(store.append('lead-1', [], 'any')).rejects.toThrow('conflict');
    expect(status.failing()).toBeNull();
  });
});
