import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leadEventTypes } from '@lead/domain';
import {
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

// The AsyncAPI document is the published contract: it must not drift from what the relay sends.
describe('docs/asyncapi.yaml', () => {
  it('is AsyncAPI 3 for the lead-events topic', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
    expect(doc.channels.leadEvents.address).toBe('lead-events');
  });

  it('documents every event type', () => {
    expect(Object.keys(doc.channels.leadEvents.messages).sort()).toEqual(
      [...leadEventTypes].sort(),
    );
    expect(Object.keys(doc.components.messages).sort()).toEqual([...leadEventTypes].sort());
  });

  it('documents every header the relay sends, and no personal data in payloads', () => {
    const record = toKafkaRecord(recorded(leadCaptured(), { position: 7n, revision: 0 }));
    const documented = doc.components.messageTraits.cloudEvent.headers.properties;
    for (const header of Object.keys(record.headers)) expect(documented).toHaveProperty(header);
    expect(doc.components.messages.LeadCaptured.payload.properties).not.toHaveProperty('email');
    expect(doc.components.messages.LeadCaptured.payload.properties).not.toHaveProperty('name');
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
