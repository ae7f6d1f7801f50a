import type { PriceFile } from './prices.js';

/**
 * Real prices from the AWS Price List API (`pricing:GetProducts`, served from us-east-1). Each
 * price key maps to one product query; the on-demand price of the matching product is the
 * price. Keys with no query here (flat, global prices: WAF, KMS, Secrets Manager, Shield, SES,
 * CloudWatch, AWS Backup, inter-region transfer) keep their previous value and are listed as
 * carried over, so the file never claims more than it fetched.
 */

/** The one call the refresh makes; `@aws-sdk/client-pricing`'s PricingClient satisfies it. */
export interface PriceListClient {
  getProducts(input: {
    ServiceCode: string;
    Filters: Array<{ Type: 'TERM_MATCH'; Field: string; Value: string }>;
    NextToken?: string;
  }): Promise<{
    PriceList?: string[];
    NextToken?: string;
  }>;
}

interface Query {
  readonly service: string;
  readonly filters: Readonly<Record<string, string>>;
  /** Unit of the price dimension to take (`Hrs`, `GB-Mo`, ...). */
  readonly unit?: string;
  /** Multiplies the API's unit price into the file's unit (per IO → per million IOs). */
  readonly scale?: number;
}

const ENGINES: Record<string, string> = {
  mysql: 'MySQL',
  postgres: 'PostgreSQL',
  'aurora-mysql': 'Aurora MySQL',
  'aurora-postgresql': 'Aurora PostgreSQL',
};

/** CloudFront prices by where the viewers are: the tenant region's geography. */
const CLOUDFRONT_LOCATION: Record<string, string> = {
  us: 'United States',
  ca: 'Canada',
  eu: 'Europe',
  ap: 'Asia Pacific',
  sa: 'South America',
  af: 'South Africa',
};
const cloudfrontLocation = (region: string) =>
  region === 'ap-southeast-2'
    ? 'Australia'
    : region === 'ap-northeast-1'
      ? 'Japan'
      : region === 'ap-south-1'
        ? 'India'
        : (CLOUDFRONT_LOCATION[region.slice(0, 2)] ?? 'United States');

/** The product query of a price key in a region; undefined for keys carried over. */
export function priceQuery(key: string, region: string): Query | undefined {
  const [kind, ...rest] = key.split(':');
  const regionCode = { regionCode: region };
  switch (kind) {
    case 'ec2':
      return {
        service: 'AmazonEC2',
        unit: 'Hrs',
        filters: {
          ...regionCode,
          instanceType: rest[0]!,
          operatingSystem: 'Linux',
          tenancy: 'Shared',
          preInstalledSw: 'NA',
          capacitystatus: 'Used',
          licenseModel: 'No License required',
        },
      };
    case 'ebs':
      return { service: 'AmazonEC2', unit: 'GB-Mo', filters: { ...regionCode, productFamily: 'Storage', volumeApiName: 'gp3' } };
    case 'rds': {
      if (rest[0] === 'aurora-gb-month')
        return {
          service: 'AmazonRDS',
          unit: 'GB-Mo',
          filters: {
            ...regionCode,
            productFamily: 'Database Storage',
            databaseEngine: 'Aurora MySQL',
            volumeType: 'General Purpose-Aurora',
          },
        };
      if (rest[0] === 'aurora-io-million')
        return {
          service: 'AmazonRDS',
          scale: 1e6,
          filters: { ...regionCode, productFamily: 'System Operation', databaseEngine: 'Aurora MySQL', group: 'Aurora I/O Operation' },
        };
      const storage = /^gp3-(multi-az|single-az)-gb-month$/.exec(rest[0] ?? '');
      if (storage)
        return {
          service: 'AmazonRDS',
          unit: 'GB-Mo',
          filters: {
            ...regionCode,
            productFamily: 'Database Storage',
            databaseEngine: 'MySQL',
            volumeType: 'General Purpose-GP3',
            deploymentOption: storage[1] === 'multi-az' ? 'Multi-AZ' : 'Single-AZ',
          },
        };
      const engine = ENGINES[rest[0] ?? ''];
      if (!engine) return undefined;
      const aurora = rest[0]!.startsWith('aurora');
      const cls = aurora ? rest[1] : rest[2];
      const deployment = aurora ? 'Single-AZ' : rest[1] === 'multi-az' ? 'Multi-AZ' : 'Single-AZ';
      return {
        service: 'AmazonRDS',
        unit: 'Hrs',
        filters: { ...regionCode, instanceType: cls!, databaseEngine: engine, deploymentOption: deployment },
      };
    }
    case 'elasticache':
      return {
        service: 'AmazonElastiCache',
        unit: 'Hrs',
        filters: { ...regionCode, instanceType: rest[1]!, cacheEngine: rest[0] === 'valkey' ? 'Valkey' : 'Redis' },
      };
    case 'nat':
      return { service: 'AmazonEC2', unit: rest[0] === 'hour' ? 'Hrs' : 'GB', filters: { ...regionCode, productFamily: 'NAT Gateway' } };
    case 'vpce':
      return { service: 'AmazonVPC', unit: 'Hrs', filters: { ...regionCode, productFamily: 'VpcEndpoint', endpointType: 'PrivateLink' } };
    case 'alb':
      return {
        service: 'AWSELB',
        unit: rest[0] === 'hour' ? 'Hrs' : 'LCU-Hrs',
        filters: { ...regionCode, productFamily: 'Load Balancer-Application' },
      };
    case 'efs':
      return { service: 'AmazonEFS', unit: 'GB-Mo', filters: { ...regionCode, productFamily: 'Storage', storageClass: 'General Purpose' } };
    case 's3':
      return { service: 'AmazonS3', unit: 'GB-Mo', filters: { ...regionCode, productFamily: 'Storage', volumeType: 'Standard' } };
    case 'transfer':
      return rest[0] === 'internet-out-gb'
        ? { service: 'AWSDataTransfer', unit: 'GB', filters: { fromRegionCode: region, transferType: 'AWS Outbound' } }
        : undefined;
    case 'cloudfront':
      return rest[0] === 'out-gb'
        ? {
            service: 'AmazonCloudFront',
            unit: 'GB',
            filters: { fromLocation: cloudfrontLocation(region), transferType: 'CloudFront Outbound' },
          }
        : undefined;
    default:
      return undefined;
  }
}

interface PriceListItem {
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }> };
}

/**
 * The on-demand price of a query: of the matching products' price dimensions in the wanted unit,
 * the highest (the first tier of tiered prices, after any free tier; and where one query matches
 * several variants, the conservative one).
 */
async function fetchPrice(client: PriceListClient, query: Query): Promise<number | undefined> {
  const Filters = Object.entries(query.filters).map(([Field, Value]) => ({ Type: 'TERM_MATCH' as const, Field, Value }));
  const found: number[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.getProducts({ ServiceCode: query.service, Filters, ...(NextToken ? { NextToken } : {}) });
    for (const text of page.PriceList ?? []) {
      const item = JSON.parse(text) as PriceListItem;
      for (const term of Object.values(item.terms?.OnDemand ?? {})) {
        for (const dimension of Object.values(term.priceDimensions ?? {})) {
          const price = Number(dimension.pricePerUnit?.USD);
          if (Number.isFinite(price) && price > 0 && (!query.unit || dimension.unit === query.unit)) found.push(price * (query.scale ?? 1));
        }
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return found.length ? Math.max(...found) : undefined;
}

export interface RefreshResult {
  readonly prices: PriceFile;
  readonly fetched: number;
  /** `region key` of every price kept from the previous file. */
  readonly carriedOver: readonly string[];
  /** `region key` of prices the API had no product for (kept from the previous file when it had one). */
  readonly notFound: readonly string[];
}

/**
 * Fetches every price `needed` (region → keys) from the Price List API into a new price file;
 * what it cannot fetch keeps the previous file's value. `onProgress` hears each region.
 */
export async function refreshPrices(
  client: PriceListClient,
  needed: ReadonlyMap<string, ReadonlySet<string>>,
  previous: PriceFile | undefined,
  options: { now?: Date; onProgress?: (message: string) => void } = {},
): Promise<RefreshResult> {
  const regions: Record<string, Record<string, number>> = {};
  const carriedOver: string[] = [];
  const notFound: string[] = [];
  let fetched = 0;
  for (const [region, keys] of [...needed].sort(([a], [b]) => a.localeCompare(b))) {
    options.onProgress?.(`prices for ${region}: ${keys.size} keys`);
    const table: Record<string, number> = {};
    for (const key of [...keys].sort()) {
      const query = priceQuery(key, region);
      const before = previous?.regions[region]?.[key];
      const price = query ? await fetchPrice(client, query) : undefined;
      if (price !== undefined) {
        table[key] = price;
        fetched++;
        continue;
      }
      (query ? notFound : carriedOver).push(`${region} ${key}`);
      if (before !== undefined) table[key] = before;
    }
    regions[region] = table;
  }
  const madeAt = (options.now ?? new Date()).toISOString();
  const kept = carriedOver.length + notFound.length;
  return {
    prices: {
      example: false,
      notice:
        `Fetched from the AWS Price List API on ${madeAt.slice(0, 10)} by \`fleet cost --refresh-prices\` (on-demand, USD).` +
        (kept ? ` Kept from the previous file: ${kept} price(s) with no Price List query or product.` : ''),
      source: 'aws-price-list',
      madeAt,
      currency: 'USD',
      regions,
    },
    fetched,
    carriedOver,
    notFound,
  };
}

/** Every price key these estimates asked for, per region: what a refresh fetches. */
export function neededKeys(
  estimates: Iterable<{ lines: ReadonlyArray<{ priceKey: string; region: string }> }>,
  previous: PriceFile | undefined,
): Map<string, Set<string>> {
  const needed = new Map<string, Set<string>>();
  for (const estimate of estimates) {
    for (const line of estimate.lines) {
      const keys = needed.get(line.region) ?? new Set<string>(Object.keys(previous?.regions[line.region] ?? {}));
      keys.add(line.priceKey);
      needed.set(line.region, keys);
    }
  }
  return needed;
}

/**
 * A price file with every price at 0 in every region: estimates made with it list the keys and
 * regions they need, before any price is known (what a refresh asks the API for).
 */
export function anyPriceFile(): PriceFile {
  const zero = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? 0 : undefined) }) as Record<string, number>;
  const regions = new Proxy({}, { get: (_target, key) => (typeof key === 'string' ? zero : undefined) }) as Record<
    string,
    Record<string, number>
  >;
  return { example: false, source: 'none', madeAt: '1970-01-01', currency: 'USD', regions };
}
