/**
 * Availability zones per region, kept here so that planning never has to ask AWS.
 * Zone letters are the ones every account sees in these regions; a spec can override them.
 */
export const REGION_AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f'],
  'us-east-2': ['us-east-2a', 'us-east-2b', 'us-east-2c'],
  'us-west-2': ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'],
  'ca-central-1': ['ca-central-1a', 'ca-central-1b', 'ca-central-1d'],
  'sa-east-1': ['sa-east-1a', 'sa-east-1b', 'sa-east-1c'],
  'eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  'eu-west-2': ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
  'eu-west-3': ['eu-west-3a', 'eu-west-3b', 'eu-west-3c'],
  'eu-central-1': ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  'eu-north-1': ['eu-north-1a', 'eu-north-1b', 'eu-north-1c'],
  'ap-south-1': ['ap-south-1a', 'ap-south-1b', 'ap-south-1c'],
  'ap-southeast-1': ['ap-southeast-1a', 'ap-southeast-1b', 'ap-southeast-1c'],
  'ap-southeast-2': ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
  'ap-northeast-1': ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
  'ap-northeast-2': ['ap-northeast-2a', 'ap-northeast-2b', 'ap-northeast-2c'],
  'af-south-1': ['af-south-1a', 'af-south-1b', 'af-south-1c'],
};

export const KNOWN_REGIONS = Object.keys(REGION_AVAILABILITY_ZONES).sort();

/** The zones a tenant uses when its spec names none: the region's first three. */
export function defaultAvailabilityZones(region: string): string[] {
  return (REGION_AVAILABILITY_ZONES[region] ?? []).slice(0, 3);
}

/**
 * The time zone a tenant gets when its spec names none: where the region's clients usually are.
 * Maintenance, backup and snapshot windows are placed in this zone's night.
 */
export const REGION_TIME_ZONES: Readonly<Record<string, string>> = {
  'us-east-1': 'America/New_York',
  'us-east-2': 'America/New_York',
  'us-west-2': 'America/Los_Angeles',
  'ca-central-1': 'America/Toronto',
  'sa-east-1': 'America/Sao_Paulo',
  'eu-west-1': 'Europe/Dublin',
  'eu-west-2': 'Europe/London',
  'eu-west-3': 'Europe/Paris',
  'eu-central-1': 'Europe/Berlin',
  'eu-north-1': 'Europe/Stockholm',
  'ap-south-1': 'Asia/Kolkata',
  'ap-southeast-1': 'Asia/Singapore',
  'ap-southeast-2': 'Australia/Sydney',
  'ap-northeast-1': 'Asia/Tokyo',
  'ap-northeast-2': 'Asia/Seoul',
  'af-south-1': 'Africa/Johannesburg',
};

export type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

/**
 * The cheapest CloudFront price class whose edge locations are near each region's learners
 * (CloudFront developer guide, "Choosing the price class"): PriceClass_100 covers North America,
 * Europe and Israel; PriceClass_200 adds Asia, the Middle East and Africa; only PriceClass_All
 * reaches Australia, New Zealand and South America.
 */
export const REGION_PRICE_CLASSES: Readonly<Record<string, PriceClass>> = {
  'us-east-1': 'PriceClass_100',
  'us-east-2': 'PriceClass_100',
  'us-west-2': 'PriceClass_100',
  'ca-central-1': 'PriceClass_100',
  'eu-west-1': 'PriceClass_100',
  'eu-west-2': 'PriceClass_100',
  'eu-west-3': 'PriceClass_100',
  'eu-central-1': 'PriceClass_100',
  'eu-north-1': 'PriceClass_100',
  'ap-south-1': 'PriceClass_200',
  'ap-southeast-1': 'PriceClass_200',
  'ap-northeast-1': 'PriceClass_200',
  'ap-northeast-2': 'PriceClass_200',
  'af-south-1': 'PriceClass_200',
  'ap-southeast-2': 'PriceClass_All',
  'sa-east-1': 'PriceClass_All',
};

const PRICE_CLASS_ORDER: readonly PriceClass[] = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];

/** The price class a tenant in `region` gets by default (every edge location for a region not in the table). */
export function cloudFrontPriceClass(region: string): PriceClass {
  return REGION_PRICE_CLASSES[region] ?? 'PriceClass_All';
}

/** Whether `priceClass` includes the edge locations near `region`'s learners. */
export function priceClassServes(priceClass: string, region: string): boolean {
  const needed = PRICE_CLASS_ORDER.indexOf(cloudFrontPriceClass(region));
  const given = PRICE_CLASS_ORDER.indexOf(priceClass as PriceClass);
  return given >= needed;
}

/**
 * Id of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in each region
 * (the id differs per region). A data source would ask AWS at plan time, which offline plans cannot,
 * so the ids are kept here. Source: `aws ec2 describe-managed-prefix-lists --region <r> --filters
 * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`, as published in
 * AWS's blog post "Limit access to your origins using the AWS-managed prefix list for Amazon
 * CloudFront" (2022) and the AWS samples that list them; af-south-1 from one such listing only.
 * A new region: run the command above and add its id.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
  'ca-central-1': 'pl-38a64351',
  'sa-east-1': 'pl-5da64334',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'af-south-1': 'pl-c0aa4fa9',
};

/**
 * The origin-facing prefix list id of `region`; throws, naming the tenant and the fix, for a region
 * not in the table (a guessed id would open the load balancer to nothing, or to the wrong list).
 */
export function cloudFrontOriginFacingPrefixList(region: string, tenant: string): string {
  const id = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region];
  if (!id) {
    throw new Error(
      `tenant ${tenant}: cdn: no CloudFront origin-facing prefix list id is known for region ${region} — ` +
        `fix: add it to CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS in libs/tenant-spec/src/regions.ts ` +
        `(aws ec2 describe-managed-prefix-lists --region ${region} --filters ` +
        `Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing)`,
    );
  }
  return id;
}
