import { ProgressWatch } from './progress-watch';

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 2, 9, 0, seconds));

describe('ProgressWatch', () => {
  it('an idle follower is never stuck', () => {
    const watch = new ProgressWatch();
    expect(watch.stuckSeconds(5n, false, at(0))).toBe(0);
    expect(watch.stuckSeconds(5n, false, at(50))).toBe(0);
  });

  it('counts from the first probe that saw pending work at an unchanged position', () => {
    const watch = new ProgressWatch();
    expect(watch.stuckSeconds(5n, false, at(0))).toBe(0);
    expect(watch.stuckSeconds(5n, true, at(30))).toBe(0);
    expect(watch.stuckSeconds(5n, true, at(45))).toBe(15);
    expect(watch.stuckSeconds(5n, true, at(59))).toBe(29);
  });

  it('a follower that moves is behind, not stuck', () => {
    const watch = new ProgressWatch();
    watch.stuckSeconds(5n, true, at(0));
    expect(watch.stuckSeconds(9n, true, at(40))).toBe(0);
    expect(watch.stuckSeconds(9n, true, at(50))).toBe(10);
  });

  it('catching up resets the clock', () => {
    const watch = new ProgressWatch();
    watch.stuckSeconds(5n, true, at(0));
    watch.stuckSeconds(5n, false, at(10));
    expect(watch.stuckSeconds(5n, true, at(20))).toBe(0);
  });
});
