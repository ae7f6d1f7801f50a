import { ROLLOUT_RINGS, type RolloutRing } from '@hafleet/tenant-spec';
import { RolloutInputError } from './errors.js';

/** One wave: tenants rolled together (at most `--max-parallel` at a time); the next waits for it. */
export interface Wave {
  /** The `--waves` entry it came from: a ring name, a percentage or a count. */
  readonly label: string;
  readonly tenants: readonly string[];
}

export interface WaveCandidate {
  readonly name: string;
  readonly ring: RolloutRing;
}

export const RINGS_WAVES = 'rings';

/**
 * Cuts the selected tenants (already in rollout order: ring, then name) into waves.
 *
 * `--waves rings`: one wave per ring that has tenants, canary → early → general.
 * `--waves canary,10%,50%,100%`, entries left to right, each taking tenants not yet in a wave:
 * - a ring name: every remaining tenant of that ring;
 * - `N%`: the next tenants until N % of the selection is in a wave (cumulative), at least one;
 * - `N`: the next N tenants.
 * The entries must place every tenant (end with `100%`); an entry that gets no tenant is dropped
 * and reported in `notes`.
 */
export function planWaves(candidates: readonly WaveCandidate[], spec: string): { waves: Wave[]; notes: string[] } {
  const entries = spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new RolloutInputError(`--waves "${spec}" names no wave — fix: e.g. --waves canary,10%,100% or --waves rings`);
  if (entries.length === 1 && entries[0] === RINGS_WAVES) {
    const waves = ROLLOUT_RINGS.map((ring) => ({ label: ring, tenants: candidates.filter((c) => c.ring === ring).map((c) => c.name) }));
    return { waves: waves.filter((w) => w.tenants.length > 0), notes: [] };
  }

  const total = candidates.length;
  let remaining = [...candidates];
  const waves: Wave[] = [];
  const notes: string[] = [];
  for (const entry of entries) {
    let taken: WaveCandidate[];
    if ((ROLLOUT_RINGS as readonly string[]).includes(entry)) {
      taken = remaining.filter((c) => c.ring === entry);
    } else if (/^\d+(\.\d+)?%$/.test(entry)) {
      const percent = Number(entry.slice(0, -1));
      if (percent <= 0 || percent > 100) throw badEntry(entry, spec);
      const placed = total - remaining.length;
      const target = Math.ceil((percent / 100) * total - 1e-9);
      taken = remaining.slice(0, Math.max(target - placed, 1));
    } else if (/^\d+$/.test(entry) && Number(entry) > 0) {
      taken = remaining.slice(0, Number(entry));
    } else {
      throw badEntry(entry, spec);
    }
    if (taken.length === 0) {
      notes.push(`wave "${entry}" has no tenant left to roll: dropped`);
      continue;
    }
    remaining = remaining.filter((c) => !taken.includes(c));
    waves.push({ label: entry, tenants: taken.map((c) => c.name) });
  }
  if (remaining.length > 0) {
    throw new RolloutInputError(
      `--waves ${spec} leaves ${remaining.length} of ${total} selected tenants in no wave ` +
        `(${remaining.map((c) => c.name).join(', ')}) — fix: end the list with 100%`,
    );
  }
  return { waves, notes };
}

function badEntry(entry: string, spec: string): RolloutInputError {
  return new RolloutInputError(
    `--waves ${spec}: "${entry}" is not a wave — fix: a ring (${ROLLOUT_RINGS.join(', ')}), ` +
      `a percentage such as 10% (cumulative, up to 100%), a tenant count such as 3, or --waves rings`,
  );
}
