import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { AcceptLeadController } from './accept-lead/accept-lead.controller';
import { AcceptLeadHandler } from './accept-lead/accept-lead.handler';
import { CaptureLeadController } from './capture-lead/capture-lead.controller';
import { CaptureLeadHandler } from './capture-lead/capture-lead.handler';
import { ConvertLeadController } from './convert-lead/convert-lead.controller';
import { ConvertLeadHandler } from './convert-lead/convert-lead.handler';
import { CorrectHandoffSlaController } from './correct-handoff-sla/correct-handoff-sla.controller';
import { CorrectHandoffSlaHandler } from './correct-handoff-sla/correct-handoff-sla.handler';
import { EngageLeadController } from './engage-lead/engage-lead.controller';
import { EngageLeadHandler } from './engage-lead/engage-lead.handler';
import { EraseLeadController } from './erase-lead/erase-lead.controller';
import { EraseLeadHandler } from './erase-lead/erase-lead.handler';
import { GetLeadController } from './get-lead/get-lead.controller';
import { GetLeadHandler } from './get-lead/get-lead.handler';
import { GetLeadScoreController } from './get-lead-score/get-lead-score.controller';
import { GetLeadScoreHandler } from './get-lead-score/get-lead-score.handler';
import { HandOffLeadController } from './hand-off-lead/hand-off-lead.controller';
import { HandOffLeadHandler } from './hand-off-lead/hand-off-lead.handler';
import { ListLeadsController } from './list-leads/list-leads.controller';
import { ListLeadsHandler } from './list-leads/list-leads.handler';
import { LoseLeadController } from './lose-lead/lose-lead.controller';
import { LoseLeadHandler } from './lose-lead/lose-lead.handler';
import { RejectLeadController } from './reject-lead/reject-lead.controller';
import { RejectLeadHandler } from './reject-lead/reject-lead.handler';
import { ScoreLeadController } from './score-lead/score-lead.controller';
import { ScoreLeadHandler } from './score-lead/score-lead.handler';
import { LeadCommandRunner } from './shared/lead-command-runner';
import { UpdateLeadProfileController } from './update-lead-profile/update-lead-profile.controller';
import { UpdateLeadProfileHandler } from './update-lead-profile/update-lead-profile.handler';
import { QualifyLeadController } from './qualify-lead/qualify-lead.controller';
import { QualifyLeadHandler } from './qualify-lead/qualify-lead.handler';
import { LogSalesActivityController } from './log-sales-activity/log-sales-activity.controller';
import { LogSalesActivityHandler } from './log-sales-activity/log-sales-activity.handler';
import { DisputeRejectionController } from './dispute-rejection/dispute-rejection.controller';
import { DisputeRejectionHandler } from './dispute-rejection/dispute-rejection.handler';
import { ResolveRejectionDisputeController } from './resolve-rejection-dispute/resolve-rejection-dispute.controller';
import { ResolveRejectionDisputeHandler } from './resolve-rejection-dispute/resolve-rejection-dispute.handler';

// Every lead use case: a command slice or a query slice, each its controller and its handler.
@Module({
  imports: [AgreementsModule],
  controllers: [
    CaptureLeadController,
    EngageLeadController,
    ScoreLeadController,
    HandOffLeadController,
    AcceptLeadController,
    RejectLeadController,
    ConvertLeadController,
    LoseLeadController,
    CorrectHandoffSlaController,
    EraseLeadController,
    GetLeadController,
    GetLeadScoreController,
    ListLeadsController,
    UpdateLeadProfileController,
    QualifyLeadController,
    LogSalesActivityController,
    DisputeRejectionController,
    ResolveRejectionDisputeController,
  ],
  providers: [
    LeadCommandRunner,
    CaptureLeadHandler,
    EngageLeadHandler,
    ScoreLeadHandler,
    HandOffLeadHandler,
    AcceptLeadHandler,
    RejectLeadHandler,
    ConvertLeadHandler,
    LoseLeadHandler,
    CorrectHandoffSlaHandler,
    EraseLeadHandler,
    GetLeadHandler,
    GetLeadScoreHandler,
    ListLeadsHandler,
    UpdateLeadProfileHandler,
    QualifyLeadHandler,
    LogSalesActivityHandler,
    DisputeRejectionHandler,
    ResolveRejectionDisputeHandler,
  ],
})
export class LeadsModule {}
