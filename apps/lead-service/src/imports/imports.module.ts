import { Module } from '@nestjs/common';
import { ImportLeadsController } from './import-leads/import-leads.controller';
import { ImportLeadsHandler } from './import-leads/import-leads.handler';

// Bulk import (DESIGN §12): lines dispatched as the lead commands they name, on the command bus.
@Module({
  controllers: [ImportLeadsController],
  providers: [ImportLeadsHandler],
})
export class ImportsModule {}
