import { Injectable } from '@nestjs/common';
import type { Actor } from '@lead/event-store';
import { PersonalDataVault } from '@lead/event-store';
import type { PersonalDataAccess } from '@lead/read-models';
import { type Role, roles } from '@lead/runtime';

// The roles that work leads see their email and name; analysts and auditors never do. The
// managers (DESIGN §6) count as soon as they exist as roles.
const workingRoles: readonly string[] = [
  'marketing',
  'marketing_manager',
  'sales',
  'sales_manager',
  'admin',
];
export const personalDataRoles: readonly Role[] = roles.filter((role) =>
  workingRoles.includes(role),
);

/** What a lead query may resolve personal fields with, for this caller. */
@Injectable()
export class PersonalDataAccessPolicy {
  constructor(private readonly vault: PersonalDataVault) {}

  accessFor(actor: Actor): PersonalDataAccess {
    return personalDataRoles.includes(actor.role as Role) ? this.vault : null;
  }
}
