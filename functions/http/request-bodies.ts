import * as v from 'valibot';
import { DECISIONS } from '../core/account';
import { MANAGE_ACTIONS } from '../core/lifecycle';
import { ACTIVITY_MAX } from '../core/roster';
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

/** A dormancy warning's "keep my account" button. */
export const KeepBody = v.object({ token: textField(MAX_BODY_BYTES) });

export const VerifyBody = v.object({ token: textField(MAX_BODY_BYTES), action: choiceField(['confirm', 'cancel'], CHOOSE_VERIFY_ACTION) });

/** The session's CSRF token, carried by every form a sponsor session posts (a SHA-256 in base64url). */
const csrf = textField(64);
/** Where to go after signing in: a path on this service (anything else goes to the dashboard). */
const next = textField(2000);

export const DecisionBody = v.object({
  token: textField(MAX_BODY_BYTES),
  requestId: textField(64),
  decision: choiceField(DECISIONS, CHOOSE_DECISION),
  reason: textField(REASON_MAX),
  csrf,
});

export const ManageBody = v.object({
  requestId: textField(64),
  action: choiceField(MANAGE_ACTIONS, CHOOSE_MANAGE_ACTION),
  reason: textField(REASON_MAX),
  csrf,
  /** The access end the page showed: a Renew whose access no longer ends then was already made. */
  seen: textField(64),
  /** `yes` once End access was confirmed (the page's own question, without JavaScript). */
  confirmed: choiceField(['yes'], 'Confirm with "yes".'),
});

export const SignInCodeBody = v.object({ email: textField(EMAIL_MAX), next });

export const SignInVerifyBody = v.object({ email: textField(EMAIL_MAX), code: textField(32), next });

export const SignOutBody = v.object({ csrf });

/** Each POST route's body, by path: the handlers' and the contract's one source. */
/** The sandbox's activity report (`POST /v1/activity`): when each person was last seen. */
export const ActivityBody = v.object({
  activity: v.pipe(
    v.array(v.object({ email: v.pipe(v.string(), v.maxLength(EMAIL_MAX)), lastSeenAt: v.pipe(v.string(), v.maxLength(64)) })),
    v.maxLength(ACTIVITY_MAX, `Report at most ${ACTIVITY_MAX} entries at once.`),
  ),
});

/** A report of ACTIVITY_MAX entries fits with room to spare. */
export const ACTIVITY_MAX_BYTES = 256 * 1024;

export const REQUEST_BODIES = {
  '/signup': SignUpBody,
  '/sponsorships': SponsorshipBody,
  '/verify': VerifyBody,
  '/keep': KeepBody,
  '/sponsorships/decision': DecisionBody,
  '/sponsors/manage': ManageBody,
  '/sign-in/code': SignInCodeBody,
  '/sign-in/verify': SignInVerifyBody,
  '/sign-out': SignOutBody,
  '/v1/activity': ActivityBody,
} as const;
