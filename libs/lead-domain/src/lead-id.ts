const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one form of a lead id (DESIGN §3: a UUID) in streams, read models and responses: lower
 * case. Every edge (request bodies, paths, imports) passes ids through this, so `FEEDFACE-…` and
 * `feedface-…` name the same lead. Null when the value is not a UUID.
 */
export const canonicalLeadId = (value: string): string | null =>
  uuid.test(value) ? value.toLowerCase() : null;
