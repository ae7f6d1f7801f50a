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
