import * as v from 'valibot';
import { DECISIONS } from '../core/account';
import { MANAGE_ACTIONS } from '../core/lifecycle';
import { choiceField, MAX_BODY_BYTES, textField } from './body';
import { EMAIL_MAX, JUSTIFICATION_MAX, NAME_MAX, REASON_MAX } from './fields';

/**
 * The request bodies the handlers validate (JSON or form fields alike), one per POST route. The
 * OpenAPI document is generated from these same schemas. Every field is optional here: a missing
 * one gets its own message from the use case (which field, what to do).
 */
export const SignUpBody = v.object({ email: textField(EMAIL_MAX), name: textField(NAME_MAX) });

export const SponsorshipBody = v.object({
  email: textField(EMAIL_MAX),
  name: textField(NAME_MAX),
  company: textField(NAME_MAX),
  sponsorEmail: textField(EMAIL_MAX),
  justification: textField(JUSTIFICATION_MAX),
});

// Any over-long token is just another invalid token (400 invalid_token), so no tighter cap on tokens.
export const CHOOSE_VERIFY_ACTION = 'Choose an action: "confirm" or "cancel".';
export const CHOOSE_DECISION = 'Choose a decision: "approve" or "deny".';
export const CHOOSE_MANAGE_ACTION = 'Choose an action: "renew" or "end".';

export const VerifyBody = v.object({ token: textField(MAX_BODY_BYTES), action: choiceField(['confirm', 'cancel'], CHOOSE_VERIFY_ACTION) });

export const DecisionBody = v.object({
  token: textField(MAX_BODY_BYTES),
  decision: choiceField(DECISIONS, CHOOSE_DECISION),
  reason: textField(REASON_MAX),
});

export const SponsorLinkBody = v.object({ email: textField(EMAIL_MAX) });

export const ManageBody = v.object({
  token: textField(MAX_BODY_BYTES),
  requestId: textField(64),
  action: choiceField(MANAGE_ACTIONS, CHOOSE_MANAGE_ACTION),
  reason: textField(REASON_MAX),
});

/** Each POST route's body, by path: the handlers' and the contract's one source. */
export const REQUEST_BODIES = {
  '/signup': SignUpBody,
  '/sponsorships': SponsorshipBody,
  '/verify': VerifyBody,
  '/sponsorships/decision': DecisionBody,
  '/sponsors/link': SponsorLinkBody,
  '/sponsors/manage': ManageBody,
} as const;
