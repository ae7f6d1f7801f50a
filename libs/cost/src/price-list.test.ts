import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsPriceListClient } from './aws-price-list.js';
import { priceQuery, refreshPrices, type PriceListClient } from './price-list.js';
import { readPriceFile, writePriceFile, type PriceFile } from './prices.js';

/** A product as GetProducts returns it (one JSON string per product), trimmed to what is read. */
const product = (attributes: Record<string, string>, dimensions: Array<{ unit: string; usd: string }>) =>
  JSON.stringify({
    product: { attributes },
    terms: {
      OnDemand: {
        'ABC.JRTCKXETXF': {
          priceDimensions: Object.fromEntries(
            dimensions.map((d, i) => [`ABC.JRTCKXETXF.${i}`, { unit: d.unit, pricePerUnit: { USD: d.usd } }]),
          ),
        },
      },
    },
  });

/**
 * A fake of the AWS Price List API (AWS cannot be reached here): a small catalogue, matched on
 * every TERM_MATCH filter the way the API does, paged two products at a time.
 */
function fakePriceListApi(
  catalogue: Array<{ service: string; attributes: Record<string, string>; dimensions: Array<{ unit: string; usd: string }> }>,
) {
  const calls: Array<{ service: string; filters: Record<string, string> }> = [];
  const client: PriceListClient = {
    async getProducts({ ServiceCode, Filters, NextToken }) {
      const filters = Object.fromEntries(Filters.map((f) => [f.Field, f.Value]));
      if (!NextToken) calls.push({ service: ServiceCode, filters });
      const matches = catalogue
        .filter((p) => p.service === ServiceCode && Object.entries(filters).every(([k, v]) => p.attributes[k] === v))
        .map((p) => product(p.attributes, p.dimensions));
      const start = Number(NextToken ?? 0);
      return { PriceList: matches.slice(start, start + 2), ...(start + 2 < matches.length ? { NextToken: String(start + 2) } : {}) };
    },
  };
  return { client, calls };
}

const ec2 = (instanceType: string, usd: string, extra: Record<string, string> = {}) => ({
  service: 'AmazonEC2',
  attributes: {
    regionCode: 'eu-west-2',
    instanceType,
    operatingSystem: 'Linux',
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    licenseModel: 'No License required',
    ...extra,
  },
  dimensions: [{ unit: 'Hrs', usd }],
});

describe('price refresh from the AWS Price List API (fake API)', () => {
  it('fetches what the fleet needs, keeps what it cannot fetch, and writes a dated file that is no example', async () => {
    const { client, calls } = fakePriceListApi([
      ec2('m7i.large', '0.1176'),
      ec2('m7i.large', '0.0000', { marketoption: 'OnDemand-free-reserved-slot' }),
      ec2('t3.medium', '0.0472'),
      {
        service: 'AmazonEC2',
        attributes: { regionCode: 'eu-west-2', productFamily: 'NAT Gateway' },
        dimensions: [
          { unit: 'Hrs', usd: '0.05' },
          { unit: 'GB', usd: '0.05' },
        ],
      },
      {
        service: 'AmazonRDS',
        attributes: {
          regionCode: 'eu-west-2',
          productFamily: 'System Operation',
          databaseEngine: 'Aurora MySQL',
          group: 'Aurora I/O Operation',
        },
        dimensions: [{ unit: 'IOs', usd: '0.00000022' }],
      },
      // Tiered: the first paid tier is the highest price.
      {
        service: 'AWSDataTransfer',
        attributes: { fromRegionCode: 'eu-west-2', transferType: 'AWS Outbound' },
        dimensions: [
          { unit: 'GB', usd: '0.09' },
          { unit: 'GB', usd: '0.085' },
          { unit: 'GB', usd: '0.07' },
        ],
      },
    ]);
    const previous: PriceFile = {
      example: true,
      source: 'example',
      madeAt: '2026-12-01',
      currency: 'USD',
      regions: { 'eu-west-2': { 'ec2:m7i.large': 0.2, 'kms:key-month': 1, 'ec2:c7i.large': 0.11 } },
    };
    const needed = new Map([
      [
        'eu-west-2',
        new Set([
          'ec2:m7i.large',
          'ec2:t3.medium',
          'ec2:c7i.large',
          'nat:hour',
          'nat:gb',
          'rds:aurora-io-million',
          'transfer:internet-out-gb',
          'kms:key-month',
          'waf:rule-month',
        ]),
      ],
    ]);
    const result = await refreshPrices(client, needed, previous, { now: new Date('2026-12-02T08:00:00Z') });

    expect(result.prices.regions['eu-west-2']).toEqual({
      'ec2:m7i.large': 0.1176,
      'ec2:t3.medium': 0.0472,
      'ec2:c7i.large': 0.11, // no product: kept from the previous file
      'kms:key-month': 1, // no query: carried over
      'nat:gb': 0.05,
      'nat:hour': 0.05,
      'rds:aurora-io-million': 0.22,
      'transfer:internet-out-gb': 0.09,
    });
    expect(result.fetched).toBe(6);
    expect(result.notFound).toEqual(['eu-west-2 ec2:c7i.large']);
    expect(result.carriedOver).toEqual(['eu-west-2 kms:key-month', 'eu-west-2 waf:rule-month']);
    expect(result.prices).toMatchObject({ example: false, source: 'aws-price-list', madeAt: '2026-12-02T08:00:00.000Z' });
    expect(result.prices.notice).toMatch(/^Fetched from the AWS Price List API on 2026-12-02 .* Kept from the previous file: 3 price\(s\)/);
    expect(calls.find((c) => c.filters['instanceType'] === 'm7i.large')).toEqual({
      service: 'AmazonEC2',
      filters: {
        regionCode: 'eu-west-2',
        instanceType: 'm7i.large',
        operatingSystem: 'Linux',
        tenancy: 'Shared',
        preInstalledSw: 'NA',
        capacitystatus: 'Used',
        licenseModel: 'No License required',
      },
    });

    const dir = mkdtempSync(join(tmpdir(), 'hafleet-prices-'));
    try {
      writePriceFile(join(dir, 'prices.json'), result.prices);
      expect(readPriceFile(join(dir, 'prices.json'), dir)).toEqual(result.prices);
      expect(readFileSync(join(dir, 'prices.json'), 'utf8')).toMatch(/"source": "aws-price-list"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('queries each priced service by the attributes that identify one on-demand product', () => {
    expect(priceQuery('rds:mysql:multi-az:db.t4g.large', 'eu-west-2')).toEqual({
      service: 'AmazonRDS',
      unit: 'Hrs',
      filters: { regionCode: 'eu-west-2', instanceType: 'db.t4g.large', databaseEngine: 'MySQL', deploymentOption: 'Multi-AZ' },
    });
    expect(priceQuery('rds:aurora-postgresql:db.r6g.large', 'ap-southeast-2')?.filters).toMatchObject({
      databaseEngine: 'Aurora PostgreSQL',
      deploymentOption: 'Single-AZ',
    });
    expect(priceQuery('elasticache:valkey:cache.r7g.large', 'us-east-1')?.filters).toMatchObject({
      cacheEngine: 'Valkey',
      instanceType: 'cache.r7g.large',
    });
    expect(priceQuery('cloudfront:out-gb', 'ap-southeast-2')?.filters).toEqual({
      fromLocation: 'Australia',
      transferType: 'CloudFront Outbound',
    });
    expect(priceQuery('waf:web-acl-month', 'us-east-1')).toBeUndefined();
  });

  it('without AWS credentials, the real SDK client fails with the fix', async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    });
    try {
      const client = await awsPriceListClient();
      await expect(client.getProducts({ ServiceCode: 'AmazonEC2', Filters: [] })).rejects.toThrow(
        /the AWS Price List API refused or could not be reached .* — fix: set AWS credentials allowed pricing:GetProducts .*or leave out --refresh-prices to use prices.json offline/,
      );
    } finally {
      process.env = saved;
    }
  });
});
