import { describe, expect, it } from 'vitest';
import {
  CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS,
  KNOWN_REGIONS,
  REGION_PRICE_CLASSES,
  cloudFrontOriginFacingPrefixList,
  cloudFrontPriceClass,
  priceClassServes,
} from './regions.js';

describe('CloudFront per region', () => {
  it('knows the price class and the origin-facing prefix list of every region a spec may name', () => {
    for (const region of KNOWN_REGIONS) {
      expect(REGION_PRICE_CLASSES[region], region).toBeDefined();
      expect(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region], region).toMatch(/^pl-[0-9a-f]{8}$/);
    }
    // One managed list per region: no id serves two regions.
    const ids = Object.values(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives learners near each region the edges near them', () => {
    expect(cloudFrontPriceClass('eu-west-2')).toBe('PriceClass_100');
    expect(cloudFrontPriceClass('ap-northeast-1')).toBe('PriceClass_200');
    expect(cloudFrontPriceClass('ap-southeast-2')).toBe('PriceClass_All');
    expect(cloudFrontPriceClass('sa-east-1')).toBe('PriceClass_All');
    expect(cloudFrontPriceClass('mars-north-1')).toBe('PriceClass_All');
    expect(priceClassServes('PriceClass_100', 'ap-southeast-2')).toBe(false);
    expect(priceClassServes('PriceClass_200', 'ap-south-1')).toBe(true);
    expect(priceClassServes('PriceClass_All', 'eu-west-1')).toBe(true);
  });

  it('refuses a region with no known prefix list, naming the tenant and how to find the id', () => {
    expect(cloudFrontOriginFacingPrefixList('ap-southeast-2', 'northwind')).toBe('pl-b8a742d1');
    expect(() => cloudFrontOriginFacingPrefixList('mx-central-1', 'acme')).toThrow(
      /^tenant acme: cdn: no CloudFront origin-facing prefix list id is known for region mx-central-1 — fix: add it to CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS .*describe-managed-prefix-lists --region mx-central-1/,
    );
  });
});
