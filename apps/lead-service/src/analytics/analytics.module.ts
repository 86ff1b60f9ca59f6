import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { AttributionReportController } from './attribution-report/attribution-report.controller';
import { AttributionReportHandler } from './attribution-report/attribution-report.handler';
import { FunnelController } from './funnel/funnel.controller';
import { FunnelHandler } from './funnel/funnel.handler';
import { LeadAttributionController } from './lead-attribution/lead-attribution.controller';
import { LeadAttributionHandler } from './lead-attribution/lead-attribution.handler';
import { SlaFollowUpsController } from './sla-follow-ups/sla-follow-ups.controller';
import { SlaFollowUpsHandler } from './sla-follow-ups/sla-follow-ups.handler';
import { SlaHandoffsController } from './sla-handoffs/sla-handoffs.controller';
import { SlaHandoffsHandler } from './sla-handoffs/sla-handoffs.handler';
import { SlaSummaryController } from './sla-summary/sla-summary.controller';
import { SlaSummaryHandler } from './sla-summary/sla-summary.handler';
import { MarketingScorecardController } from './marketing-scorecard/marketing-scorecard.controller';
import { MarketingScorecardHandler } from './marketing-scorecard/marketing-scorecard.handler';
import { QualityReportController } from './quality-report/quality-report.controller';
import { QualityReportHandler } from './quality-report/quality-report.handler';
import { SalesScorecardController } from './sales-scorecard/sales-scorecard.controller';
import { SalesScorecardHandler } from './sales-scorecard/sales-scorecard.handler';
import { ScoreBandsController } from './score-bands/score-bands.controller';
import { ScoreBandsHandler } from './score-bands/score-bands.handler';

@Module({
  imports: [AgreementsModule],
  controllers: [
    AttributionReportController,
    LeadAttributionController,
    SlaHandoffsController,
    SlaSummaryController,
    FunnelController,
    SlaFollowUpsController,
    QualityReportController,
    ScoreBandsController,
    MarketingScorecardController,
    SalesScorecardController,
  ],
  providers: [
    AttributionReportHandler,
    LeadAttributionHandler,
    SlaHandoffsHandler,
    SlaSummaryHandler,
    FunnelHandler,
    SlaFollowUpsHandler,
    QualityReportHandler,
    ScoreBandsHandler,
    MarketingScorecardHandler,
    SalesScorecardHandler,
  ],
})
export class AnalyticsModule {}
