import { describe, expect, it } from 'vitest';
import { cidrsOverlap, formatCidr, parseCidr, subnetOf } from './cidr.js';
import { subnetLayout } from './subnet-layout.js';

describe('cidr', () => {
  it('parses networks and rejects malformed ones or set host bits', () => {
    expect(parseCidr('10.16.0.0/16')).toEqual({ network: 10 * 2 ** 24 + 16 * 2 ** 16, prefix: 16 });
    for (const bad of ['10.16.0.0', '10.16.0.1/16', '256.0.0.0/8', '10.0.0.0/33', 'ten/8', ' 10.0.0.0/16']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it('detects overlap, including containment, and not adjacency', () => {
    const c = (t: string) => parseCidr(t)!;
    expect(cidrsOverlap(c('10.0.0.0/16'), c('10.0.128.0/20'))).toBe(true);
    expect(cidrsOverlap(c('10.0.0.0/16'), c('10.1.0.0/16'))).toBe(false);
    expect(cidrsOverlap(c('10.0.0.0/8'), c('10.200.0.0/16'))).toBe(true);
  });

  it('carves subnets like terraform cidrsubnet()', () => {
    expect(formatCidr(subnetOf(parseCidr('10.16.0.0/16')!, 4, 5))).toBe('10.16.80.0/20');
    expect(() => subnetOf(parseCidr('10.16.0.0/16')!, 4, 16)).toThrow(RangeError);
  });
});

describe('subnetLayout', () => {
  it('gives each tier and zone a fixed block, so adding a zone renumbers nothing', () => {
    const two = subnetLayout('10.16.0.0/16', 2);
    const three = subnetLayout('10.16.0.0/16', 3);
    expect(two).toEqual({
      public: ['10.16.0.0/20', '10.16.16.0/20'],
      app: ['10.16.64.0/20', '10.16.80.0/20'],
      data: ['10.16.128.0/20', '10.16.144.0/20'],
    });
    expect(three.public.slice(0, 2)).toEqual(two.public);
    expect(three.app.slice(0, 2)).toEqual(two.app);
    expect(three.data.slice(0, 2)).toEqual(two.data);
  });

  it('keeps the smallest VPC at AWS subnet minimum /28', () => {
    expect(subnetLayout('10.9.8.0/24', 3).data[2]).toBe('10.9.8.160/28');
  });
});
