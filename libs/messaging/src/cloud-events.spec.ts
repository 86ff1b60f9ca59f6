import { agreementStream } from '@lead/domain';
import {
  agreementProposed,
  leadCaptured,
  leadConverted,
  leadPersonalDataErased,
  leadProfileUpdated,
  recorded,
  testLeadId,
  t0,
} from '@lead/testing';
import { defaultCloudEventsSource, isPublishedStream, toKafkaRecord } from './cloud-events';

describe('toKafkaRecord (CloudEvents binary mode)', () => {
  const capture = leadCaptured({
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    company: 'Analytical Engines Ltd',
    priorTouches: [
      { campaignId: 'cmp-old', channel: 'email', occurredAt: '2025-12-01T00:00:00.000Z' },
    ],
  });
  const stored = recorded(capture, {
    // beyond 2^53: the header must carry the exact decimal, not a rounded float
    position: 9_007_199_254_740_993n,
    revision: 0,
    correlationId: 'corr-1',
    causationId: 'cause-1',
  });

  it('keys by leadId and sets every CloudEvents header', () => {
    const record = toKafkaRecord(stored);

    expect(record.key).toBe(testLeadId);
    expect(record.headers).toStrictEqual({
      ce_specversion: '1.0',
      ce_id: capture.metadata.eventId,
      ce_type: 'LeadCaptured',
      ce_source: defaultCloudEventsSource,
      ce_subject: testLeadId,
      ce_time: t0,
      'content-type': 'application/json',
      ce_position: '9007199254740993',
      ce_revision: '0',
      ce_correlationid: 'corr-1',
      ce_causationid: 'cause-1',
    });
  });

  it('publishes the data without email and name, keeping everything else', () => {
    const value: unknown = JSON.parse(toKafkaRecord(stored).value);

    expect(value).toStrictEqual({
      leadId: testLeadId,
      company: 'Analytical Engines Ltd',
      source: { campaignId: 'cmp-spring', channel: 'paid_search' },
      sourcedBy: 'marketing',
      priorTouches: [
        { campaignId: 'cmp-old', channel: 'email', occurredAt: '2025-12-01T00:00:00.000Z' },
      ],
    });
    expect(toKafkaRecord(stored).value).not.toMatch(/ada@example\.com|Lovelace/);
  });

  it('publishes neither the captured nor an updated title (personal data)', () => {
    const captured = recorded(leadCaptured({ title: 'CTO', country: 'DE' }), { position: 1, revision: 0 });
    expect(JSON.parse(toKafkaRecord(captured).value)).toMatchObject({ country: 'DE' });
    expect(toKafkaRecord(captured).value).not.toContain('CTO');
    const updated = recorded(leadProfileUpdated({ title: 'CTO', employees: 12 }), { position: 2, revision: 1 });
    expect(JSON.parse(toKafkaRecord(updated).value)).toStrictEqual({
      leadId: testLeadId,
      employees: 12,
    });
  });

  it('does not change the stored event', () => {
    toKafkaRecord(stored);

    expect(stored.data.email).toBe('ada@example.com');
  });

  it('omits ce_causationid when the event has no cause', () => {
    const record = toKafkaRecord(
      recorded(leadConverted(), { position: 7, revision: 4, causationId: null }),
    );

    expect(record.headers).not.toHaveProperty('ce_causationid');
    expect(record.headers).toMatchObject({
      ce_type: 'LeadConverted',
      ce_position: '7',
      ce_revision: '4',
    });
    expect(JSON.parse(record.value)).toStrictEqual({
      leadId: testLeadId,
      amount: 250_000,
      currency: 'EUR',
    });
  });

  it('uses a configured source', () => {
    const record = toKafkaRecord(stored, { source: '/crm/eu-1' });

    expect(record.headers.ce_source).toBe('/crm/eu-1');
  });

  it('takes the leadId from the stream id when the data lacks it', () => {
    const event = recorded(leadPersonalDataErased(), { position: 3, revision: 2 });
    const withoutLeadId = { ...event, data: {} };

    expect(toKafkaRecord(withoutLeadId)).toMatchObject({ key: testLeadId, value: '{}' });
  });

  it('keys an agreement event by agreement, publishing its data whole', () => {
    const proposal = agreementProposed({ version: 2, note: 'rules-based scoring' });
    const event = {
      ...recorded(leadCaptured(), { position: 12, revision: 3, correlationId: 'corr-a' }),
      type: proposal.type,
      data: proposal.data,
      streamId: agreementStream,
    };

    const record = toKafkaRecord(event);

    expect(record.key).toBe('agreement');
    expect(record.headers).toMatchObject({
      ce_type: 'AgreementProposed',
      ce_subject: 'agreement',
      ce_position: '12',
      ce_revision: '3',
    });
    expect(JSON.parse(record.value)).toStrictEqual(proposal.data);
  });

  it('publishes the lead streams and the agreement stream, nothing else', () => {
    expect(isPublishedStream(`lead-${testLeadId}`)).toBe(true);
    expect(isPublishedStream('agreement')).toBe(true);
    expect(isPublishedStream('agreement-archive')).toBe(false);
    expect(isPublishedStream('watcher-state')).toBe(false);
  });

  it('refuses an event that names no lead', () => {
    const event = recorded(leadConverted(), { position: 3, revision: 2 });

    expect(() => toKafkaRecord({ ...event, streamId: 'other-1', data: {} })).toThrow(
      /has no leadId/,
    );
  });
});
