import type { LeadFact, SourcedBy } from '../lead-events';

export type TouchKind = 'prior' | 'capture' | 'engagement';

export type Touch = {
  touchId: string;
  campaignId: string;
  channel: string;
  occurredAt: string;
  kind: TouchKind;
};

export type Conversion = { amount: number; currency: string; occurredAt: string; eventId: string };

// What attribution needs to know of a lead. `touches` keeps stream order (prior touches in the
// order the capture listed them, then the capture touch, then engagements), because stream
// order breaks ties between touches with the same occurredAt.
export type Journey = {
  leadId: string;
  sourcedBy: SourcedBy;
  touches: Touch[];
  captureTouchId: string | null;
  acceptedAt: string | null;
  conversion: Conversion | null;
};

// A projection step: (journey | null, fact) → journey | null, so the read side can keep one
// journey document per lead and history queries can rebuild it through the same function.
export const evolveJourney = (journey: Journey | null, fact: LeadFact): Journey | null => {
  if (fact.type === 'LeadCaptured') {
    // A stream starts with its only capture; a second one would be a corrupt stream, and the
    // first capture is the one the lead's history was built on.
    if (journey) return journey;
    const { eventId, occurredAt } = fact.metadata;
    const { leadId, sourcedBy, source, priorTouches } = fact.data;
    const prior = priorTouches.map((touch, index): Touch => ({
      touchId: `${eventId}:prior:${index}`,
      campaignId: touch.campaignId,
      channel: touch.channel,
      occurredAt: touch.occurredAt,
      kind: 'prior',
    }));
    const capture: Touch = {
      touchId: eventId,
      campaignId: source.campaignId,
      channel: source.channel,
      occurredAt,
      kind: 'capture',
    };
    return {
      leadId,
      sourcedBy,
      touches: [...prior, capture],
      captureTouchId: eventId,
      acceptedAt: null,
      conversion: null,
    };
  }
  if (!journey) return null;
  switch (fact.type) {
    case 'LeadEngaged': {
      const { campaignId, channel } = fact.data;
      const { eventId, occurredAt } = fact.metadata;
      const touch: Touch = {
        touchId: eventId,
        campaignId,
        channel,
        occurredAt,
        kind: 'engagement',
      };
      return { ...journey, touches: [...journey.touches, touch] };
    }
    case 'LeadAccepted':
      // A lead rejected and handed off again is accepted again: the acceptance the conversion
      // followed is the last one recorded.
      return { ...journey, acceptedAt: fact.metadata.occurredAt };
    case 'LeadConverted': {
      // Converted is terminal; a second conversion could only come from a corrupt stream.
      if (journey.conversion) return journey;
      const { amount, currency } = fact.data;
      const { eventId, occurredAt } = fact.metadata;
      return { ...journey, conversion: { amount, currency, occurredAt, eventId } };
    }
    default:
      return journey;
  }
};

export const journeyOf = (facts: readonly LeadFact[]): Journey | null =>
  facts.reduce<Journey | null>(evolveJourney, null);
