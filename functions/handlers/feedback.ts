import { snsHandler } from '../adapters/sns-handler';
import { recordFeedback } from '../use-cases/record-feedback';
import { feedbackDeps } from '../wiring/feedback-deps';

/** SES bounce and complaint events, delivered by SNS: each named mailbox is suppressed. */
export const handler = snsHandler((message) => recordFeedback(message, feedbackDeps));
