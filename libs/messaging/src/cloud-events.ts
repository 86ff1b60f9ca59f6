import type { RecordedEvent } from '@lead/event-store';
import { agreementStream, leadStreamPrefix } from '@lead/domain';

// A Kafka record in CloudEvents binary mode (DESIGN §7): the event's data is the value, the
// CloudEvents attributes travel as `ce_*` headers.
export type KafkaRecord = { key: string; value: string; headers: Record<string, string> };

export type CloudEventsOptions = {
  /** the `ce_source` attribute: which system produced the event */
  source?: string;
};

export const defaultCloudEventsSource = '/lead-lifecycle';

// Personal data never leaves the system through Kafka: consumers cannot be made to forget it
// once crypto-shredding erases the lead (DESIGN §3).
export const personalDataFields: readonly string[] = ['email', 'name', 'title'];

export const leadIdOf = (event: RecordedEvent): string => {
  const { leadId } = event.data;
  if (typeof leadId === 'string' && leadId.length > 0) return leadId;
  if (event.streamId.startsWith(leadStreamPrefix))
    return event.streamId.slice(leadStreamPrefix.length);
  throw new Error(`event ${event.metadata.eventId} in stream ${event.streamId} has no leadId`);
};

// What the relay publishes (DESIGN §7, §10): every lead stream, and the agreement's, so
// consumers learn which terms the later lead events were decided under.
export const isPublishedStream = (streamId: string): boolean =>
  streamId.startsWith(leadStreamPrefix) || streamId === agreementStream;

/**
 * The Kafka key: the leadId, so Kafka keeps per-lead order; `agreement` for the agreement's
 * events, so its versions keep their order too.
 */
export const recordKeyOf = (event: RecordedEvent): string =>
  event.streamId === agreementStream ? agreementStream : leadIdOf(event);

export const publishedData = (data: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(data).filter(([field]) => !personalDataFields.includes(field)));

/**
 * Maps a stored event to its Kafka record, keyed and with `ce_subject` as `recordKeyOf` says;
 * `ce_id` is the event id, the consumers' de-duplication key under at-least-once delivery.
 * `ce_causationid` is omitted when the event has no cause (a command from outside): a CloudEvents
 * attribute is either present with a value or absent, and an empty string would read as an id.
 */
export const toKafkaRecord = (
  event: RecordedEvent,
  options: CloudEventsOptions = {},
): KafkaRecord => {
  const key = recordKeyOf(event);
  const { eventId, occurredAt, correlationId, causationId } = event.metadata;
  const headers: Record<string, string> = {
    ce_specversion: '1.0',
    ce_id: eventId,
    ce_type: event.type,
    ce_source: options.source ?? defaultCloudEventsSource,
    ce_subject: key,
    ce_time: occurredAt,
    'content-type': 'application/json',
    ce_position: event.position.toString(),
    ce_revision: String(event.revision),
    ce_correlationid: correlationId,
  };
  if (causationId !== null && causationId !== '') headers.ce_causationid = causationId;
  return { key, value: JSON.stringify(publishedData(event.data)), headers };
};
