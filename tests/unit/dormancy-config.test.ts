import { describe, expect, it } from 'vitest';
import { dormancyConfig } from '../../functions/service/dormancy-config';

describe('the dormancy settings', () => {
  it('default to a yearly reconfirmation, warned 10 days and 1 day before; with activity reports, 90 days', () => {
    expect(dormancyConfig({})).toEqual({
      activityReports: false,
      afterSeconds: 7_776_000,
      reconfirmSeconds: 31_536_000,
      warningSeconds: [864_000, 86_400],
    });
    expect(dormancyConfig({ ACTIVITY_REPORTS: 'true', DORMANT_WARNING_SECONDS: '2, 5' })).toMatchObject({
      activityReports: true,
      warningSeconds: [5, 2],
    });
  });

  it('refuse, naming the variable, a warning no shorter than the period it warns of, or a flag that is not one', () => {
    expect(() => dormancyConfig({ ACTIVITY_REPORTS: 'true', DORMANT_AFTER_SECONDS: '60', DORMANT_WARNING_SECONDS: '60' })).toThrow(
      /DORMANT_WARNING_SECONDS/,
    );
    expect(() => dormancyConfig({ DORMANT_WARNING_SECONDS: 'ten days' })).toThrow(/DORMANT_WARNING_SECONDS/);
    expect(() => dormancyConfig({ ACTIVITY_REPORTS: 'yes' })).toThrow(/ACTIVITY_REPORTS/);
  });
});
