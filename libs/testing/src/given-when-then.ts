import {
  decide,
  DomainError,
  foldLead,
  type DomainErrorCode,
  type LeadCommand,
  type LeadEvent,
  type LeadFact,
  type LeadPolicy,
} from '@lead/domain';
import { defaultLeadPolicy } from './lead-builders';

export type Scenario = {
  /** asserts that the command decides exactly these events (type + data; metadata is not decided) */
  then(...expected: LeadEvent[]): LeadEvent[];
  /** asserts that the command is refused with a DomainError carrying this code */
  thenThrows(code: DomainErrorCode): DomainError;
};

// Events are compared without metadata, and strictly, so an optional field emitted as
// `undefined` fails against a builder that omits it.
const decided = ({ type, data }: LeadEvent) => ({ type, data });

// The policy in force defaults to the builders' (threshold 60, 24 h to accept); a scenario about
// policy names what it changes.
export const given = (...history: LeadFact[]) => ({
  when: (command: LeadCommand, policy: Partial<LeadPolicy> = {}): Scenario => ({
    then: (...expected) => {
      const events = decide(command, foldLead(history), { ...defaultLeadPolicy, ...policy });
      expect(events.map(decided)).toStrictEqual(expected.map(decided));
      return events;
    },
    thenThrows: (code) => {
      let events: LeadEvent[];
      try {
        events = decide(command, foldLead(history), { ...defaultLeadPolicy, ...policy });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        expect(error.code).toBe(code);
        expect(error.message).not.toBe('');
        return error;
      }
      throw new Error(
        `expected ${command.type} to be refused with ${code}, but it decided ${JSON.stringify(events)}`,
      );
    },
  }),
});
