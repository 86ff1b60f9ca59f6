import { Module } from '@nestjs/common';
import { LeadHistoryController } from './lead-history/lead-history.controller';
import { LeadHistoryHandler } from './lead-history/lead-history.handler';

@Module({ controllers: [LeadHistoryController], providers: [LeadHistoryHandler] })
export class AuditModule {}
