import type { DormancyPolicy } from '../core/dormancy';
import { ConfigError, type Env, text, timeSpan } from './config-fields';
import { LIMIT } from './environment';

/**
 * When unused accounts end: DORMANT_AFTER_SECONDS (90 days) after the later of activation and the
 * last activity the sandbox reports, where it reports activity (ACTIVITY_REPORTS=true); otherwise
 * once per RECONFIRM_SECONDS (a year). Warnings DORMANT_WARNING_SECONDS before (10 days and 1 day),
 * each shorter than the period it warns of.
 */
export function dormancyConfig(env: Env): DormancyPolicy {
  const reports = text(env, LIMIT.activityReports);
  if (reports !== undefined && reports !== 'true' && reports !== 'false') {
    throw new ConfigError(LIMIT.activityReports, `${LIMIT.activityReports} is "true" or "false", got "${reports}"`);
  }
  const afterSeconds = timeSpan(env, LIMIT.dormantAfterSeconds, 7_776_000, 1);
  const reconfirmSeconds = timeSpan(env, LIMIT.reconfirmSeconds, 31_536_000, 1);
  const activityReports = reports === 'true';
  const period = activityReports ? afterSeconds : reconfirmSeconds;
  const warnings = (text(env, LIMIT.dormantWarningSeconds) ?? '864000,86400').split(',').map((part) => part.trim());
  const warningSeconds = warnings.map((part) => {
    const value = Number(part);
    if (!/^\d+$/.test(part) || value < 1 || value >= period) {
      throw new ConfigError(
        LIMIT.dormantWarningSeconds,
        `${LIMIT.dormantWarningSeconds} is a comma-separated list of whole seconds, each shorter than the ${period} s it warns of; got "${part}"`,
      );
    }
    return value;
  });
  return { activityReports, afterSeconds, reconfirmSeconds, warningSeconds: warningSeconds.sort((a, b) => b - a) };
}
