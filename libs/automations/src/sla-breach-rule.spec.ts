import { isBreachDue } from './sla-breach-rule';

const dueAt = '2026-01-06T10:00:00.000Z';
const onTime = '2026-01-05T10:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('isBreachDue', () => {
  it('is not due before the deadline', () => {
    expect(isBreachDue({ dueAt, recordedAt: onTime }, at('2026-01-06T09:59:59.999Z'), 60)).toBe(
      false,
    );
  });

  it('is due exactly at the deadline', () => {
    expect(isBreachDue({ dueAt, recordedAt: onTime }, at(dueAt), 60)).toBe(true);
  });

  it('waits out the grace period after a late-recorded handoff, and is due exactly at its end', () => {
    const recordedAt = '2026-01-07T08:00:00.000Z';
    const handoff = { dueAt, recordedAt };
    expect(isBreachDue(handoff, at('2026-01-07T08:00:59.999Z'), 60)).toBe(false);
    expect(isBreachDue(handoff, at('2026-01-07T08:01:00.000Z'), 60)).toBe(true);
  });

  it('without grace, a handoff recorded past its deadline is due as soon as it is on record', () => {
    const recordedAt = '2026-01-07T08:00:00.000Z';
    expect(isBreachDue({ dueAt, recordedAt }, at(recordedAt), 0)).toBe(true);
    expect(isBreachDue({ dueAt, recordedAt }, at('2026-01-07T07:59:59.999Z'), 0)).toBe(false);
  });
});
