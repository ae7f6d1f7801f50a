import { readFileSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { cidrSize, cidrsOverlap, formatCidr, parseCidr, subnetOf, type Cidr } from './cidr.js';
import { tenantSpecFiles } from './load.js';

/**
 * Network allocation for new tenants: the first block of the pool's size, in address order, that
 * overlaps no existing VPC (whatever that VPC's size). Pure apart from reading the specs.
 */

/** The first free `/prefix` block of `pool`, or undefined when every block overlaps a taken range. */
export function nextFreeVpcCidr(pool: Cidr, prefix: number, taken: readonly Cidr[]): Cidr | undefined {
  const newBits = prefix - pool.prefix;
  if (newBits < 0) throw new RangeError(`a /${prefix} does not fit in ${formatCidr(pool)}`);
  let index = 0;
  while (index < 2 ** newBits) {
    const block = subnetOf(pool, newBits, index);
    const clash = taken.find((t) => cidrsOverlap(t, block));
    if (!clash) return block;
    // Skip every block the clashing range covers, so a /8 pool of /24s stays quick.
    const clashEnd = clash.network + cidrSize(clash);
    index = Math.max(index + 1, Math.ceil((clashEnd - pool.network) / cidrSize(block)));
  }
  return undefined;
}

/**
 * The VPC ranges of every tenant folder, read leniently: a spec that is invalid for other reasons
 * still holds its range, so onboarding never hands it out twice.
 */
export function takenVpcCidrs(workspaceRoot: string): Cidr[] {
  return tenantSpecFiles(workspaceRoot).flatMap((file) => {
    try {
      const spec = parseJsonc(readFileSync(file, 'utf8')) as { network?: { vpcCidr?: unknown } } | undefined;
      const cidr = typeof spec?.network?.vpcCidr === 'string' ? parseCidr(spec.network.vpcCidr) : undefined;
      return cidr ? [cidr] : [];
    } catch {
      return [];
    }
  });
}
