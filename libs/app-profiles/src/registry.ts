import type { ApplicationProfile } from './profile.js';
import { generic } from './profiles/generic.js';
import { moodle } from './profiles/moodle.js';
import { scormEngine } from './profiles/scorm-engine.js';
import { totara } from './profiles/totara.js';

/** Every profile a tenant can name in `app.profile`. Adding one: a file in profiles/ and a line here. */
export const PROFILES = { moodle, totara, 'scorm-engine': scormEngine, generic } as const satisfies Record<string, ApplicationProfile>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];
/** The profile of a tenant whose spec and fleet.json name none. */
export const DEFAULT_PROFILE: ProfileName = 'moodle';

export function applicationProfile(name: ProfileName): ApplicationProfile {
  return PROFILES[name];
}
