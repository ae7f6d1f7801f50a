import { ROLLOUT_RINGS, type LoadedTenant, type RolloutRing, type TenantSpec } from '@hafleet/tenant-spec';
import { RolloutInputError } from './errors.js';
import { schemaAtPath, valueAtPath } from './spec-changes.js';

/**
 * Which tenants a rollout visits. Selectors combine as a filter: a tenant is in when it is named
 * (if any names are given) AND has one of the tags (if any) AND matches every `--where`.
 */
export interface TenantSelection {
  /** Tenant names; empty = every tenant. */
  readonly tenants?: readonly string[];
  /** Nx-style project tags, any of which selects: `region:eu-west-2`, `env:staging`, `ring:canary`. */
  readonly tags?: readonly string[];
  /** `field=value` on the spec (defaults filled in), all of which must hold: `region=eu-west-2`. */
  readonly where?: readonly string[];
}

/**
 * A tenant's tags as its Nx project carries them (libs/nx-plugin), so `--tag` selects what
 * `nx show projects --projects tag:<tag>` lists.
 */
export function tenantTags(spec: TenantSpec): string[] {
  return ['type:tenant', `region:${spec.region}`, `env:${spec.environment}`, `ring:${spec.rollout.ring}`];
}

export const ringOf = (spec: TenantSpec): RolloutRing => spec.rollout.ring;

/** Selected tenants in rollout order: ring (canary → early → general), then name. */
export function selectTenants(fleet: readonly LoadedTenant[], selection: TenantSelection = {}): LoadedTenant[] {
  const names = new Set(selection.tenants ?? []);
  const known = new Set(fleet.map((t) => t.spec.name));
  const unknown = [...names].filter((n) => !known.has(n));
  if (unknown.length) {
    throw new RolloutInputError(`tenant ${unknown.join(', ')}: no such tenant — fix: one of ${[...known].sort().join(', ')}`);
  }
  const tags = (selection.tags ?? []).map((t) => t.replace(/^tag:/, ''));
  const conditions = (selection.where ?? []).map(parseWhere);
  const chosen = fleet.filter(({ spec }) => {
    if (names.size && !names.has(spec.name)) return false;
    if (tags.length && !tenantTags(spec).some((t) => tags.includes(t))) return false;
    return conditions.every((c) => matches(valueAtPath(spec, c.path), c.value));
  });
  if (chosen.length === 0) {
    const asked = [...names, ...tags.map((t) => `--tag ${t}`), ...(selection.where ?? []).map((w) => `--where ${w}`)].join(' ');
    throw new RolloutInputError(
      `${asked || 'the fleet'} selects no tenant — fix: check the names, tags (${describeTags(fleet)}) and --where filters`,
    );
  }
  return chosen.sort((a, b) => ringRank(a.spec) - ringRank(b.spec) || a.spec.name.localeCompare(b.spec.name));
}

const ringRank = (spec: TenantSpec) => ROLLOUT_RINGS.indexOf(ringOf(spec));

function parseWhere(text: string): { path: string; value: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new RolloutInputError(`--where "${text}" is not field=value — fix: e.g. --where region=eu-west-2`);
  const path = text.slice(0, eq).trim();
  schemaAtPath(path, '--where');
  return { path, value: text.slice(eq + 1) };
}

/** Scalars compare as text; a list matches when it holds the value (`--where availabilityZones=eu-west-2a`). */
function matches(actual: unknown, expected: string): boolean {
  if (Array.isArray(actual)) return actual.some((item) => matches(item, expected));
  if (actual !== null && typeof actual === 'object') return JSON.stringify(actual) === expected;
  return String(actual) === expected;
}

function describeTags(fleet: readonly LoadedTenant[]): string {
  const all = new Set(fleet.flatMap(({ spec }) => tenantTags(spec)));
  return [...all].sort().join(', ');
}
