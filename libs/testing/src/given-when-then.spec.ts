import { DomainError, leadStream } from '@lead/domain';
import { given } from './given-when-then';
import {
  acceptLead,
  at,
  captureLead,
  eventIdFor,
  handOffLead,
  leadCaptured,
  leadHandedOff,
  leadScored,
  recorded,
  recordedLog,
  scoreLead,
  t0,
  testLeadId,
} from './lead-builders';

describe('given/when/then', () => {
  it('passes when the decided events match, and returns them', () => {
    const events = given().when(captureLead()).then(leadCaptured());
    expect(events).toHaveLength(1);
  });

  it('fails when the decided data differs', () => {
    expect(() =>
      given()
        .when(captureLead({ email: 'other@example.com' }))
        .then(leadCaptured()),
    ).toThrow();
  });

  it('fails when an optional field is present as undefined on one side only', () => {
    expect(() =>
      given()
        .when(captureLead())
        .then({ ...leadCaptured(), data: { ...leadCaptured().data, company: undefined } }),
    ).toThrow();
  });

  it('fails when fewer or more events are expected', () => {
    expect(() => given().when(captureLead()).then()).toThrow();
    expect(() => given().when(captureLead()).then(leadCaptured(), leadCaptured())).toThrow();
  });

  it('thenThrows returns the domain error with the expected code', () => {
    const error = given(leadCaptured()).when(captureLead()).thenThrows('lead_already_exists');
    expect(error).toBeInstanceOf(DomainError);
    expect(error.message).toContain(testLeadId);
  });

  it('thenThrows fails on another code, or when the command is decided', () => {
    expect(() => given(leadCaptured()).when(captureLead()).thenThrows('lead_closed')).toThrow();
    expect(() => given().when(captureLead()).thenThrows('lead_already_exists')).toThrow(/decided/);
  });
});

describe('builders', () => {
  it('use a fixed clock and counter ids', () => {
    expect(at(90)).toBe('2026-01-05T10:30:00.000Z');
    expect(eventIdFor(1)).toBe('00000000-0000-7000-8000-000000000001');
    expect(eventIdFor(255)).toBe('00000000-0000-7000-8000-0000000000ff');
    const [a, b] = [leadCaptured(), leadCaptured()];
    expect(a.metadata.occurredAt).toBe(t0);
    expect(a.metadata.eventId).not.toBe(b.metadata.eventId);
    expect(leadCaptured({ eventId: eventIdFor(7) }).metadata.eventId).toBe(eventIdFor(7));
  });

  it('derive qualification and deadline from the overrides', () => {
    expect(leadScored({ score: 59 }).data.qualified).toBe(false);
    expect(leadScored({ score: 60 }).data.qualified).toBe(true);
    expect(leadHandedOff({ occurredAt: at(30) }).data.dueAt).toBe(at(30 + 1440));
    const policy = { id: 'fast', acceptWithinMinutes: 60 };
    expect(leadHandedOff({ slaPolicy: policy }).data.dueAt).toBe(at(60));
  });

  it('default a command time to the other one, so a command is never in the future by accident', () => {
    expect(scoreLead()).toMatchObject({ occurredAt: t0, now: t0 });
    expect(acceptLead({ occurredAt: at(30) })).toMatchObject({ occurredAt: at(30), now: at(30) });
    expect(handOffLead({ now: at(40) })).toMatchObject({ occurredAt: at(40), now: at(40) });
  });

  it('event builders drop undefined fields, command builders keep them', () => {
    expect('name' in leadCaptured({ name: undefined }).data).toBe(false);
    expect('name' in captureLead({ name: undefined })).toBe(true);
  });

  it('record a fact as the store would return it', () => {
    const fact = leadCaptured({ occurredAt: at(1) });
    expect(recorded(fact, { position: 12, revision: 0 })).toEqual({
      streamId: leadStream(testLeadId),
      revision: 0,
      position: 12n,
      type: 'LeadCaptured',
      data: fact.data,
      metadata: {
        eventId: fact.metadata.eventId,
        occurredAt: at(1),
        actor: { id: 'user-1', role: 'marketing' },
        correlationId: fact.metadata.eventId,
        causationId: null,
        schemaVersion: 1,
        recordedAt: at(1),
        prevHash: '',
        hash: '',
      },
    });
  });

  it('record a log with global positions and per-stream revisions', () => {
    const other = '01943a4e-3c00-7000-8000-0000000000b2';
    const log = recordedLog(
      leadCaptured(),
      leadCaptured({ leadId: other }),
      leadScored(),
      leadScored({ leadId: other }),
    );
    expect(log.map(({ streamId, revision, position }) => [streamId, revision, position])).toEqual([
      [leadStream(testLeadId), 0, 1n],
      [leadStream(other), 0, 2n],
      [leadStream(testLeadId), 1, 3n],
      [leadStream(other), 1, 4n],
    ]);
  });
});
