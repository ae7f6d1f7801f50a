/** The part of ha-modules' test support that other projects' tests use (`@hafleet/ha-modules/testing`). */
export { SIGNING_PUBLIC_KEY } from './cdn-fixtures.js';
