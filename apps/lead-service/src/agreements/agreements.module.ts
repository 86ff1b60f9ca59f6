import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AgreementBook } from './agreement-book';
import { GetAgreementsController } from './get-agreements/get-agreements.controller';
import { GetAgreementsHandler } from './get-agreements/get-agreements.handler';
import { ProposeAgreementController } from './propose-agreement/propose-agreement.controller';
import { ProposeAgreementHandler } from './propose-agreement/propose-agreement.handler';
import { SignAgreementController } from './sign-agreement/sign-agreement.controller';
import { SignAgreementHandler } from './sign-agreement/sign-agreement.handler';
import { WithdrawAgreementController } from './withdraw-agreement/withdraw-agreement.controller';
import { WithdrawAgreementHandler } from './withdraw-agreement/withdraw-agreement.handler';

// The agreement between the teams (DESIGN §10); lead commands are decided under its version in force.
@Module({
  controllers: [
    ProposeAgreementController,
    SignAgreementController,
    WithdrawAgreementController,
    GetAgreementsController,
  ],
  providers: [
    AgreementBook,
    ProposeAgreementHandler,
    SignAgreementHandler,
    WithdrawAgreementHandler,
    GetAgreementsHandler,
  ],
  exports: [AgreementBook],
})
export class AgreementsModule implements OnApplicationBootstrap {
  constructor(private readonly agreement: AgreementBook) {}

  // Version 1 on the very first start; every later start finds it and appends nothing.
  async onApplicationBootstrap(): Promise<void> {
    await this.agreement.found();
  }
}
