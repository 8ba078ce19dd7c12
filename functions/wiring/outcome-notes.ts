import { JoseOutcomeNotes } from '../adapters/jose-outcome-notes';
import { signingKeys } from './approval-tokens';

/** The form posts' outcome notes, signed with the service's own keys (those of the approval tokens and sessions). */
export const outcomeNotes = new JoseOutcomeNotes(signingKeys);
