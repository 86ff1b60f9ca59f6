import type { Filter } from '../read-store.port';

/** from inclusive, to exclusive, on business time (occurredAt), as UTC ISO strings */
export type BusinessTimeRange = { from?: string; to?: string };

// Stored business times are normalised UTC ISO strings, so string order is time order.
export const inRange = (field: string, { from, to }: BusinessTimeRange): Filter =>
  from || to ? { [field]: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } } : {};

export const within = (value: string, { from, to }: BusinessTimeRange): boolean =>
  (!from || value >= from) && (!to || value < to);
