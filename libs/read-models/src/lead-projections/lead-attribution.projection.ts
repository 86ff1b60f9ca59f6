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

// One document per lead: its journey, and once converted, the credits under every model, so an
// attribution report is a single $unwind/$group and the evidence for each lead is stored.
export type LeadAttributionDoc = {
  _id: string;
  leadId: string;
  sourcedBy: Journey['sourcedBy'];
  journey: Journey;
  converted: boolean;
  convertedAt: string | null;
  amount: number | null;
  currency: string | null;
  credits: Record<AttributionModel, Credit[]> | null;
};

const creditsFor = (journey: Journey): Record<AttributionModel, Credit[]> =>
  Object.fromEntries(
    attributionModels.map((model) => [model, attribute(model, journey)]),
  ) as Record<AttributionModel, Credit[]>;

export const applyLeadAttribution = (
  doc: LeadAttributionDoc | null,
  event: RecordedEvent<LeadEvent>,
): LeadAttributionDoc | null => {
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
    // credits are fixed at conversion: later touches cannot count, and converted is terminal
    credits: conversion ? (doc?.credits ?? creditsFor(journey)) : null,
  };
};

export const leadAttributionProjection: Projection<LeadAttributionDoc, LeadEvent> = {
  name: 'lead-attribution',
  version: 1,
  collection: 'attribution',
  // journeys read no personal field
  personalData: 'sealed',
  documentId: (event) => (relevant.has(event.type) ? leadIdOf(event) : null),
  apply: applyLeadAttribution,
  // reports read only the converted leads, often within a range of conversion times
  indexes: ['converted', 'convertedAt'],
};

const relevant = new Set(['LeadCaptured', 'LeadEngaged', 'LeadAccepted', 'LeadConverted']);
