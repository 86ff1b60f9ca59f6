import { Module } from '@nestjs/common';
import { AgreementsModule } from '../agreements/agreements.module';
import { QualificationWhatIfController } from './qualification-what-if/qualification-what-if.controller';
import { QualificationWhatIfHandler } from './qualification-what-if/qualification-what-if.handler';
import { SlaWhatIfController } from './sla-what-if/sla-what-if.controller';
import { SlaWhatIfHandler } from './sla-what-if/sla-what-if.handler';
import { WhatIfSource } from './what-if-source';

// History judged under another agreement version (DESIGN §10), in the as-of workers.
@Module({
  imports: [AgreementsModule],
  controllers: [SlaWhatIfController, QualificationWhatIfController],
  providers: [WhatIfSource, SlaWhatIfHandler, QualificationWhatIfHandler],
})
export class WhatIfModule {}
