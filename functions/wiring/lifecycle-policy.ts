import type { LifecyclePolicy } from '../core/lifecycle';
import { config } from './config';

/** How access periods and unused accounts end, as configured: one policy for every writer of an account. */
export const lifecycle: LifecyclePolicy = {
  accessSeconds: config.contractorAccessSeconds,
  renewalNoticeSeconds: config.renewalNoticeSeconds,
  dormancy: config.dormancy,
};
