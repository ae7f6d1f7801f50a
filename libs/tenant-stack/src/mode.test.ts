import { describe, expect, it } from 'vitest';
import { APPLY_IMMEDIATELY_ENV, applyImmediatelyFromEnv, stackModeFromEnv } from './mode.js';

describe('settings read from the environment at synthesis', () => {
  it('HAFLEET_APPLY_IMMEDIATELY: true applies at once; unset, empty or false waits for the window', () => {
    expect(APPLY_IMMEDIATELY_ENV).toBe('HAFLEET_APPLY_IMMEDIATELY');
    expect(applyImmediatelyFromEnv({ HAFLEET_APPLY_IMMEDIATELY: 'true' })).toBe(true);
    for (const value of [undefined, '', 'false']) expect(applyImmediatelyFromEnv({ HAFLEET_APPLY_IMMEDIATELY: value })).toBe(false);
  });

  it('refuses anything else with the fix, rather than guessing what "1" or "yes" meant', () => {
    expect(() => applyImmediatelyFromEnv({ HAFLEET_APPLY_IMMEDIATELY: 'yes' })).toThrow(
      /HAFLEET_APPLY_IMMEDIATELY="yes" is not true or false — fix: unset it .*fleet rollout --apply-immediately/,
    );
    expect(() => stackModeFromEnv({ HAFLEET_MODE: 'cloud' })).toThrow(/HAFLEET_MODE="cloud" is not a mode/);
  });
});
