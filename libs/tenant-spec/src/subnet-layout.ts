import { formatCidr, parseCidr, subnetOf } from './cidr.js';

/**
 * How a tenant VPC is carved: 16 equal blocks (VPC prefix + 4). Block `tier * 4 + az` goes to that
 * tier in that zone, so adding a zone later never renumbers an existing subnet. Blocks 12–15 stay
 * free for future tiers.
 */
export const SUBNET_TIERS = ['public', 'app', 'data'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

export const SUBNET_NEW_BITS = 4;
export const MAX_AVAILABILITY_ZONES = 4;
/** AWS's smallest subnet is a /28, so the VPC can be at most a /24. */
export const SMALLEST_VPC_PREFIX = 28 - SUBNET_NEW_BITS;
/** AWS's largest VPC is a /16. */
export const LARGEST_VPC_PREFIX = 16;

export type SubnetLayout = Record<SubnetTier, string[]>;

/** Subnet CIDRs per tier, one per zone, in zone order. Throws on a CIDR the spec schema rejects. */
export function subnetLayout(vpcCidr: string, zoneCount: number): SubnetLayout {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  if (zoneCount < 1 || zoneCount > MAX_AVAILABILITY_ZONES) throw new Error(`unsupported zone count ${zoneCount}`);
  const layout = {} as SubnetLayout;
  SUBNET_TIERS.forEach((tier, tierIndex) => {
    layout[tier] = Array.from({ length: zoneCount }, (_, az) =>
      formatCidr(subnetOf(vpc, SUBNET_NEW_BITS, tierIndex * MAX_AVAILABILITY_ZONES + az)),
    );
  });
  return layout;
}
