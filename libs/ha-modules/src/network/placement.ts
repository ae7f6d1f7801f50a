/** One subnet of a placement and the availability zone it lies in. */
export interface PlacedSubnet {
  readonly id: string;
  readonly zone: string;
}

/**
 * Where a construct puts its resources: a VPC and the subnets of one tier in it, at most one per
 * zone, in zone order (aws-cdk-lib's `IVpc` plus `SubnetSelection` in one value). `Network` gives
 * one per tier (`publicPlacement`, `appPlacement`, `dataPlacement`); a construct takes the one it
 * belongs in, so subnet ids and their zones can never drift apart.
 */
export interface SubnetPlacement {
  readonly vpcId: string;
  readonly subnets: readonly PlacedSubnet[];
}

/** The subnet ids of `placement`, in its order. */
export const subnetIdsOf = (placement: SubnetPlacement): string[] => placement.subnets.map((subnet) => subnet.id);

/** The zones of `placement`, in its order. */
export const zonesOf = (placement: SubnetPlacement): string[] => placement.subnets.map((subnet) => subnet.zone);

/** What `assertPlacement` requires of a placement, and how its error names it. */
export interface PlacementRequirement {
  /** Zones the subnets must cover (one subnet per zone). */
  readonly minZones: number;
  /** The subnets to give, for the error, e.g. `the data subnets (Network.dataPlacement)`. */
  readonly give: string;
  /** The prop holding the placement. @default 'placement' */
  readonly prop?: string;
}

/**
 * Fails with `<owner>: <prop> …` unless `placement` has subnets in at least `minZones` zones and no
 * two in the same zone (what subnet groups, mount targets, interface endpoints and load balancers accept).
 */
export function assertPlacement(owner: string, placement: SubnetPlacement, requirement: PlacementRequirement): void {
  const { minZones, give, prop = 'placement' } = requirement;
  const zones = zonesOf(placement);
  const repeated = zones.find((zone, index) => zones.indexOf(zone) !== index);
  if (repeated !== undefined) {
    throw new Error(`${owner}: ${prop} has more than one subnet in zone ${repeated}; give ${give}, one per zone`);
  }
  if (zones.length < minZones) {
    const found = zones.length === 0 ? 'none' : `${zones.length} (${zones.join(', ')})`;
    throw new Error(`${owner}: ${prop} needs subnets in at least ${minZones} zone${minZones === 1 ? '' : 's'}, got ${found}; give ${give}`);
  }
}
