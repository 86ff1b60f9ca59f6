import { ThrottlerStorageService } from '@nestjs/throttler';
import { RateLimitStorage } from './rate-limit-storage';

describe('RateLimitStorage', () => {
  let now: number;
  beforeEach(() => {
    now = Date.parse('2026-03-02T09:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['blocked for 1.5 s beyond it', 1_500],
    ['no block (blockDuration 0)', 0],
  ])("answers every hit as @nestjs/throttler's storage does, %s", async (_, blockDuration) => {
    const theirs = new ThrottlerStorageService();
    const ours = new RateLimitStorage();
    // two callers, a limit of 3 hits per second; irregular gaps
    const gaps = [0, 10, 10, 10, 10, 300, 400, 500, 250, 1, 700, 900, 100, 50, 1600, 0, 0, 999];
    const answers: [unknown, unknown][] = [];
    for (const [index, gap] of [...gaps, ...gaps.reverse()].entries()) {
      now += gap;
      const key = index % 3 === 0 ? 'key:b' : 'key:a';
      answers.push([
        await theirs.increment(key, 1_000, 3, blockDuration, 'default'),
        await ours.increment(key, 1_000, 3, blockDuration, 'default'),
      ]);
    }
    theirs.onApplicationShutdown();

    for (const [expected, actual] of answers) expect(actual).toEqual(expected);
    expect(answers.some(([expected]) => (expected as { isBlocked: boolean }).isBlocked)).toBe(true);
  });

  it('forgets a caller once its hits have expired and it is not blocked', async () => {
    const storage = new RateLimitStorage();
    await storage.increment('key:a', 1_000, 3, 1_000, 'default');
    now += 60_001;
    await storage.increment('key:b', 1_000, 3, 1_000, 'default');

    expect(storage.trackedKeys()).toEqual(['key:b']);
  });
});
