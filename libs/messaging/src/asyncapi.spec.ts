import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  type AgreementTerms,
  agreementEventTypes,
  agreementStream,
  leadEventTypes,
  validateAgreementTerms,
} from '@lead/domain';
import {
  agreementProposed,
  agreementSigned,
  agreementWithdrawn,
  eventIdFor,
  leadCaptured,
  leadQualifiedBySales,
  leadRejectionDisputeResolved,
  leadRejectionDisputed,
  recorded,
  salesActivityLogged,
} from '@lead/testing';
import { load } from 'js-yaml';
import { toKafkaRecord } from './cloud-events';

type AsyncApi = {
  asyncapi: string;
  channels: { leadEvents: { address: string; messages: Record<string, unknown> } };
  components: {
    messageTraits: {
      cloudEvent: { headers: { required: string[]; properties: Record<string, unknown> } };
    };
    messages: Record<
      string,
      { payload: { required: string[]; properties: Record<string, unknown> } }
    >;
  };
};

const doc = load(readFileSync(join(__dirname, '../../../docs/asyncapi.yaml'), 'utf8')) as AsyncApi;
const publishedTypes = [...leadEventTypes, ...agreementEventTypes].sort();

// Every section of the terms, so the documented schema is checked against all of them.
const fullTerms: AgreementTerms = {
  qualification: { mqlThreshold: 65 },
  scoring: {
    source: 'rules',
    fit: [
      { rule: 'vp-title', field: 'title', containsAny: ['vp', 'head of'], points: 30 },
      { rule: 'big-company', field: 'employees', min: 200, points: 15 },
      { rule: 'dach', field: 'country', in: ['DE', 'AT', 'CH'], points: 10 },
    ],
    engagement: [
      { rule: 'captured', kind: 'captured', points: 5 },
      { rule: 'webinar', kind: 'webinar', points: 20, max: 40 },
    ],
    decayHalfLifeDays: 30,
  },
  salesResponse: {
    acceptWithinMinutes: 240,
    businessHours: {
      timeZone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      from: '09:00',
      to: '17:00',
      holidays: ['2026-12-25'],
    },
  },
  salesFollowUp: { attempts: 3, withinHours: 72 },
  marketing: { mqlsPerMonth: 120, minAcceptanceRate: 0.6 },
  remedy: { onResponseBreach: 'reassign', repPool: ['rep-ana', 'rep-eli'] },
  pilot: { reps: ['rep-pilot'], salesResponse: { acceptWithinMinutes: 60 } },
};

// The AsyncAPI document is the published contract: it must not drift from what the relay sends.
describe('docs/asyncapi.yaml', () => {
  it('is AsyncAPI 3 for the lead-events topic', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
    expect(doc.channels.leadEvents.address).toBe('lead-events');
  });

  it('documents every published event type: the lead events and the agreement events', () => {
    expect(Object.keys(doc.channels.leadEvents.messages).sort()).toEqual(publishedTypes);
    expect(Object.keys(doc.components.messages).sort()).toEqual(publishedTypes);
  });

  it('documents every header the relay sends, and no personal data in payloads', () => {
    const record = toKafkaRecord(recorded(leadCaptured(), { position: 7n, revision: 0 }));
    const documented = doc.components.messageTraits.cloudEvent.headers.properties;
    for (const header of Object.keys(record.headers)) expect(documented).toHaveProperty(header);
    expect(doc.components.messages.LeadCaptured.payload.properties).not.toHaveProperty('email');
    expect(doc.components.messages.LeadCaptured.payload.properties).not.toHaveProperty('name');
    for (const type of ['LeadCaptured', 'LeadProfileUpdated'])
      expect(doc.components.messages[type].payload.properties).not.toHaveProperty('title');
  });

  it('describes the payload of each agreement event as the relay publishes it', () => {
    expect(validateAgreementTerms(fullTerms)).toEqual([]);
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'asyncapi');
    const facts = [
      agreementProposed({
        version: 2,
        effectiveFrom: '2026-04-01T00:00:00.000Z',
        terms: fullTerms,
      }),
      agreementProposed({ version: 3, note: 'the founding terms again' }),
      agreementSigned({ version: 2, team: 'sales' }),
      agreementWithdrawn({ version: 3, reason: 'superseded by version 4' }),
    ];
    for (const fact of facts) {
      const event = {
        ...recorded(leadCaptured(), { position: 9n, revision: 1 }),
        type: fact.type,
        data: fact.data,
        streamId: agreementStream,
      };
      const record = toKafkaRecord(event);
      const validate = ajv.getSchema(`asyncapi#/components/messages/${fact.type}/payload`)!;
      expect({
        type: fact.type,
        valid: validate(JSON.parse(record.value)),
        errors: validate.errors,
      }).toEqual({ type: fact.type, valid: true, errors: null });
    }
    // and the schema does refuse what the terms validator refuses
    const validate = ajv.getSchema('asyncapi#/components/messages/AgreementProposed/payload')!;
    const invalid = {
      version: 2,
      effectiveFrom: '2026-04-01T00:00:00.000Z',
      terms: { ...fullTerms, qualification: { mqlThreshold: 0 } },
    };
    expect(validate(invalid)).toBe(false);
  });

  it('documents every field of the sales-side events (issue 14), and requires the ones always sent', () => {
    const handoffEventId = eventIdFor(999);
    const samples = [
      leadQualifiedBySales({ estimatedAmount: 900_000, currency: 'EUR' }),
      salesActivityLogged({ handoffEventId, outcome: 'replied', note: 'asked for a demo' }),
      leadRejectionDisputed({ handoffEventId }),
      leadRejectionDisputeResolved({ handoffEventId, note: 'heard the call' }),
    ];
    for (const sample of samples) {
      const { payload } = doc.components.messages[sample.type];
      expect(Object.keys(payload.properties).sort()).toEqual(Object.keys(sample.data).sort());
      for (const field of payload.required) expect(sample.data).toHaveProperty(field);
    }
  });
});
