import { describe, expect, it } from 'vitest';
import { PROFILES, PROFILE_NAMES, profileProblems, RUNTIME_PARAMETERS, SECRET_VALUES } from './index.js';

const KNOWN_PLACEHOLDERS = new Set<string>([...RUNTIME_PARAMETERS.map((p) => p.env), ...SECRET_VALUES.map((s) => s.env)]);

describe('application profiles', () => {
  it.each(PROFILE_NAMES)('%s is consistent and named by its key', (name) => {
    const profile = PROFILES[name];
    expect(profile.name).toBe(name);
    expect(profileProblems(profile)).toEqual([]);
  });

  it.each(PROFILE_NAMES)('%s config template names only published values, and the database and cache credentials', (name) => {
    const placeholders = [...PROFILES[name].config.template.matchAll(/\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]!);
    expect(placeholders.filter((p) => !KNOWN_PLACEHOLDERS.has(p))).toEqual([]);
    for (const needed of ['HAFLEET_DB_WRITER_ENDPOINT', 'HAFLEET_DB_USERNAME', 'HAFLEET_DB_PASSWORD', 'HAFLEET_SITE_URL'])
      expect(placeholders).toContain(needed);
  });

  it('finds a broken profile', () => {
    const broken = {
      ...PROFILES.moodle,
      health: { ...PROFILES.moodle.health, shallowPath: 'health' },
      timeouts: { ...PROFILES.moodle.timeouts, originReadSeconds: 600 },
    };
    expect(profileProblems(broken)).toEqual([
      'health.shallowPath "health" must be a URL path starting with "/"',
      'timeouts.originReadSeconds must be 1–60',
    ]);
  });
});

describe('runtime parameters', () => {
  it('have unique keys and environment names', () => {
    expect(new Set(RUNTIME_PARAMETERS.map((p) => p.key)).size).toBe(RUNTIME_PARAMETERS.length);
    expect(new Set(RUNTIME_PARAMETERS.map((p) => p.env)).size).toBe(RUNTIME_PARAMETERS.length);
  });
});
