import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCidr, parseCidr } from './cidr.js';
import { nextFreeVpcCidr, takenVpcCidrs } from './network-pool.js';

const cidr = (text: string) => parseCidr(text)!;
const next = (pool: string, prefix: number, taken: string[]) => {
  const found = nextFreeVpcCidr(cidr(pool), prefix, taken.map(cidr));
  return found && formatCidr(found);
};

describe('nextFreeVpcCidr', () => {
  it('takes the first block of an empty pool', () => {
    expect(next('10.0.0.0/8', 16, [])).toBe('10.0.0.0/16');
  });

  it('skips blocks overlapped by ranges of any size', () => {
    // A /20 inside the first /16 and a /16 make the first two /16s unusable.
    expect(next('10.0.0.0/8', 16, ['10.0.16.0/20', '10.1.0.0/16'])).toBe('10.2.0.0/16');
    // A /12 covers 16 /16s at once.
    expect(next('10.0.0.0/8', 16, ['10.0.0.0/12'])).toBe('10.16.0.0/16');
    // Smaller blocks fill the gaps a larger range leaves.
    expect(next('10.0.0.0/16', 20, ['10.0.0.0/20', '10.0.32.0/20'])).toBe('10.0.16.0/20');
  });

  it('ignores ranges outside the pool', () => {
    expect(next('10.0.0.0/8', 16, ['172.16.0.0/16', '192.168.0.0/16'])).toBe('10.0.0.0/16');
  });

  it('reports an exhausted pool', () => {
    expect(next('10.0.0.0/15', 16, ['10.0.0.0/16', '10.1.0.0/16'])).toBeUndefined();
    expect(next('10.0.0.0/8', 16, ['10.0.0.0/8'])).toBeUndefined();
  });
});

describe('takenVpcCidrs', () => {
  it('reads every tenant folder, even specs that are invalid for other reasons', () => {
    const root = mkdtempSync(join(tmpdir(), 'hafleet-pool-'));
    const write = (name: string, text: string) => {
      mkdirSync(join(root, 'tenants', name), { recursive: true });
      writeFileSync(join(root, 'tenants', name, 'tenant.json'), text);
    };
    write('alpha', JSON.stringify({ name: 'alpha', network: { vpcCidr: '10.4.0.0/16' } }));
    write('beta', '{ "network": { "vpcCidr": "10.9.0.0/20" }, "region": }');
    write('gamma', '{ "network": {} }');
    expect(takenVpcCidrs(root).map(formatCidr)).toEqual(['10.4.0.0/16', '10.9.0.0/20']);
  });
});
