import {
  type AttributionModel,
  type Credit,
  type Journey,
  type LeadEvent,
  attribute,
  attributionModels,
  evolveJourney,
} from '@lead/domain';
import type { RecordedEvent } from '@lead/event-store';
import type { Projection } from '../projection';
import { leadIdOf } from './lead-fact';

/** What a report reads of one credit; the rest (touch, roles, weight) follows from the journey. */
export type CreditShare = Pick<Credit, 'campaignId' | 'channel' | 'amount'>;

// One document per lead: its journey, and once converted, the shares of every model, so an
// attribution report is a single $unwind/$group. The full credits of a lead (the evidence) are
// computed from its journey when asked: storing them made every document ~5.3 KB, and a report
// parses every converted document (2.8 KB now).
export type LeadAttributionDoc = {
  _id: string;
  leadId: string;
  sourcedBy: Journey['sourcedBy'];
  /** as of the conversion once converted: credits are fixed then, later touches cannot count */
  journey: Journey;
  converted: boolean;
  convertedAt: string | null;
  amount: number | null;
  currency: string | null;
  credits: Record<AttributionModel, CreditShare[]> | null;
};

/** The credits a converted lead's document stands for, under one model. */
export const creditsOf = (doc: LeadAttributionDoc, model: AttributionModel): Credit[] =>
  doc.converted ? attribute(model, doc.journey) : [];

const sharesFor = (journey: Journey): Record<AttributionModel, CreditShare[]> =>
  Object.fromEntries(
    attributionModels.map((model) => [
      model,
      attribute(model, journey).map(({ campaignId, channel, amount }) => ({
        campaignId,
        channel,
        amount,
      })),
    ]),
  ) as Record<AttributionModel, CreditShare[]>;

export const applyLeadAttribution = (
  doc: LeadAttributionDoc | null,
  event: RecordedEvent<LeadEvent>,
): LeadAttributionDoc | null => {
  // converted is terminal, and the journey stays as the credits were computed from it
  if (doc?.converted) return doc;
  const journey = evolveJourney(doc?.journey ?? null, event);
  if (!journey) return null;
  if (doc && journey === doc.journey) return doc;
  const conversion = journey.conversion;
  return {
    _id: journey.leadId,
    leadId: journey.leadId,
    sourcedBy: journey.sourcedBy,
    journey,
    converted: conversion !== null,
    convertedAt: conversion?.occurredAt ?? null,
    amount: conversion?.amount ?? null,
    currency: conversion?.currency ?? null,
    credits: conversion ? sharesFor(journey) : null,
  };
};

export const leadAttributionProjection: Projection<LeadAttributionDoc, LeadEvent> = {
  name: 'lead-attribution',
  version: 2,
  collection: 'attribution',
  // journeys read no personal field
  personalData: 'sealed',
  documentId: (event) => (relevant.has(event.type) ? leadIdOf(event) : null),
  apply: applyLeadAttribution,
  // reports read only the converted leads, often within a range of conversion times
  indexes: ['converted', 'convertedAt'],
};

const relevant = new Set(['LeadCaptured', 'LeadEngaged', 'LeadAccepted', 'LeadConverted']);
