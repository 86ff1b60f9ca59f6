import { leadAttributionProjection } from './lead-attribution.projection';
import { leadSummaryProjection } from './lead-summary.projection';
import { logHeadProjection } from './log-head.projection';

export const leadProjections = [
  leadSummaryProjection,
  leadAttributionProjection,
  logHeadProjection,
] as const;
