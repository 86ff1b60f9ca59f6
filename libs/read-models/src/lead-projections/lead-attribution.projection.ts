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

/** What one lead's credits under a model give to one campaign or channel, summed. */
export type Share = { key: string; amount: number };
export type SharesByKey = { campaign: Share[]; channel: Share[] };

// One document per lead: its journey, and once converted, its shares under every model, each
// per campaign and per channel, so a report unwinds one array and a lead counts once per key.
// The full credits of a lead (the evidence) are computed from its journey when asked: storing
// them made a converted lead's document ~5.3 KB, and a report parses every one of them.
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
  shares: Record<AttributionModel, SharesByKey> | null;
};

/** The credits a converted lead's document stands for, under one model. */
export const creditsOf = (doc: LeadAttributionDoc, model: AttributionModel): Credit[] =>
  doc.converted ? attribute(model, doc.journey) : [];

// in the order of the credits, a key's amounts added up
const summed = (credits: Credit[], keyOf: (credit: Credit) => string): Share[] => {
  const byKey = new Map<string, number>();
  for (const credit of credits)
    byKey.set(keyOf(credit), (byKey.get(keyOf(credit)) ?? 0) + credit.amount);
  return Array.from(byKey, ([key, amount]) => ({ key, amount }));
};

const sharesFor = (journey: Journey): Record<AttributionModel, SharesByKey> =>
  Object.fromEntries(
    attributionModels.map((model) => {
      const credits = attribute(model, journey);
      return [
        model,
        {
          campaign: summed(credits, (credit) => credit.campaignId),
          channel: summed(credits, (credit) => credit.channel),
        },
      ];
    }),
  ) as Record<AttributionModel, SharesByKey>;

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
    shares: conversion ? sharesFor(journey) : null,
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
