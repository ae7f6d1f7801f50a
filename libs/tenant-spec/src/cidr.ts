/** IPv4 CIDR arithmetic for VPC and subnet ranges. Pure functions, no AWS. */

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/nn`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : address - (address % 2 ** (32 - prefix));
  if (network !== address) return undefined;
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  const n = cidr.network;
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 2 ** 8) % 256}.${n % 256}/${cidr.prefix}`;
}

export function cidrSize(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + cidrSize(b) && b.network < a.network + cidrSize(a);
}

/** The `index`-th block of `prefix + newBits` inside `parent`, like terraform's cidrsubnet(). */
export function subnetOf(parent: Cidr, newBits: number, index: number): Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`no subnet ${index} of /${prefix} in ${formatCidr(parent)}`);
  }
  return { network: parent.network + index * 2 ** (32 - prefix), prefix };
}

/** RFC 1918: the only ranges a tenant VPC may use (a public range would shadow real internet hosts). */
export const PRIVATE_RANGES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((text) => parseCidr(text)!);

/** True when `text` is a CIDR inside one RFC 1918 range; true for malformed text too (reported as malformed). */
export function isPrivateRange(text: string): boolean {
  const cidr = parseCidr(text);
  return !cidr || PRIVATE_RANGES.some((range) => cidr.prefix >= range.prefix && cidrsOverlap(cidr, range));
}
