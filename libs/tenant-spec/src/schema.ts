import { z } from 'zod';
import { parseCidr } from './cidr.js';
import { KNOWN_REGIONS, REGION_AVAILABILITY_ZONES, defaultAvailabilityZones } from './regions.js';
import { LARGEST_VPC_PREFIX, MAX_AVAILABILITY_ZONES, SMALLEST_VPC_PREFIX } from './subnet-layout.js';

/**
 * The tenant spec: `tenants/<name>/tenant.json`. Data only; every default lives here, so that a
 * spec says only what is particular to its client. Messages end with the fix an operator needs.
 */

/** Names that would collide with the workspace's own Nx projects or fleet-wide words. */
export const RESERVED_TENANT_NAMES = [
  'all', 'apps', 'bootstrap', 'cdktf-app', 'cli', 'default', 'fleet', 'ha-modules', 'libs',
  'nx-plugin', 'tenant-spec', 'tenant-stack', 'tenants', 'terraform', 'test',
] as const;

const TENANT_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,30}[a-z0-9]$/;

export const tenantNameSchema = z
  .string()
  .regex(TENANT_NAME, {
    error: 'must be DNS-safe: 3–32 lowercase letters, digits and single hyphens, starting with a letter — fix: e.g. "northwind-university"',
  })
  .refine((name) => !(RESERVED_TENANT_NAMES as readonly string[]).includes(name), {
    error: (issue) => `"${String(issue.input)}" is reserved for the workspace — fix: choose another tenant name`,
  })
  .describe('DNS-safe tenant name; also the Nx project name and the prefix of every AWS resource name.');

const vpcCidrSchema = z
  .string()
  .refine((text) => parseCidr(text) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not an IPv4 network in CIDR form — fix: e.g. "10.20.0.0/16" (no host bits set)`,
  })
  .refine(
    (text) => {
      const cidr = parseCidr(text);
      return !cidr || (cidr.prefix >= LARGEST_VPC_PREFIX && cidr.prefix <= SMALLEST_VPC_PREFIX);
    },
    {
      error: (issue) =>
        `${String(issue.input)} cannot hold the tenant's subnets (3 tiers × up to ${MAX_AVAILABILITY_ZONES} zones of at least /28) — fix: use a prefix from /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}, e.g. a /16`,
    },
  )
  .describe('The tenant VPC range; unique across the fleet. Subnets are carved from it deterministically.');

const networkSchema = z
  .strictObject({
    vpcCidr: vpcCidrSchema,
    natGateways: z
      .enum(['per-az', 'single'], { error: 'must be "per-az" or "single" — fix: use "per-az" unless this is a small tenant that accepts losing egress with one zone' })
      .default('per-az')
      .describe('"per-az" (default, survives the loss of a zone) or "single" (one shared NAT gateway, cheaper, for small tenants).'),
  })
  .describe('Network layer.');

const appSchema = z
  .strictObject({
    amiId: z
      .string({ error: 'is required — fix: set app.amiId to the release AMI, e.g. "ami-0123456789abcdef0"' })
      .regex(/^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, { error: 'must be an AMI id like "ami-0123456789abcdef0" — fix: copy the id of the release image' })
      .describe('The immutable release image the web and worker tiers boot.'),
    instanceType: z
      .string()
      .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'must be an EC2 instance type like "m7i.large"' })
      .default('m7i.large')
      .describe('Web tier instance type. Default m7i.large.'),
    port: z.number().int().min(1).max(65535, { error: 'must be a TCP port 1–65535' }).default(80).describe('Port the application listens on. Default 80.'),
    healthCheckPath: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, { error: 'must be a URL path starting with "/" — fix: e.g. "/login/index.php"' })
      .default('/')
      .describe('Path the load balancer probes. Default "/".'),
    rootVolumeGiB: z.number().int().min(8).max(1024).default(30).describe('Encrypted gp3 root volume size. Default 30 GiB.'),
    rootDeviceName: z.string().regex(/^\/dev\/[a-z0-9]+$/).default('/dev/xvda').describe('Root device of the AMI. Default /dev/xvda (Amazon Linux).'),
    release: z.string().min(1).max(64).optional().describe('Release label of the AMI, shown in reports and tags.'),
  })
  .describe('The application image and how the load balancer reaches it.');

const webSchema = z
  .strictObject({
    minCapacity: z.number().int().min(1, { error: 'must be at least 1' }).max(100).default(2).describe('Default 2.'),
    maxCapacity: z.number().int().min(1).max(200).default(6).describe('Default 6.'),
    desiredCapacity: z.number().int().min(1).max(200).optional().describe('Default: minCapacity.'),
    cpuTargetPercent: z.number().int().min(10).max(90).default(50).describe('Target-tracking CPU target. Default 50 %.'),
    healthCheckGraceSeconds: z.number().int().min(0).max(3600).default(300).describe('Default 300 s.'),
    minHealthyPercent: z.number().int().min(50).max(100).default(90).describe('Instance refresh floor. Default 90 %.'),
  })
  .describe('Web tier capacity and scaling.');

const edgeSchema = z
  .strictObject({
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: 'must be an ACM certificate ARN — fix: copy it from ACM in the tenant region',
      })
      .optional()
      .describe('ACM certificate for HTTPS; when set, HTTP redirects to HTTPS.'),
  })
  .describe('Load balancer edge.');

const tagsSchema = z
  .record(
    z.string().min(1).max(128).refine((key) => !key.startsWith('aws:'), { error: 'tag keys must not start with "aws:"' }),
    z.string().max(256),
  )
  .default({})
  .describe('Extra tags on every resource (tenant and managed-by are always added).');

export const tenantSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: tenantNameSchema,
    displayName: z.string().min(1, { error: 'is required — fix: the client organisation name' }).max(100),
    environment: z.enum(['production', 'staging']).default('production').describe('Default production.'),
    region: z.enum(KNOWN_REGIONS as [string, ...string[]], {
      error: (issue) =>
        `"${String(issue.input)}" is not a region hafleet knows — fix: one of ${KNOWN_REGIONS.join(', ')}`,
    }),
    availabilityZones: z
      .array(z.string())
      .min(2, { error: 'needs at least 2 zones for high availability — fix: list 2–4 zones of the region' })
      .max(MAX_AVAILABILITY_ZONES, { error: `holds at most ${MAX_AVAILABILITY_ZONES} zones` })
      .optional()
      .describe("Zones to spread every tier across. Default: the region's first three."),
    network: networkSchema,
    app: appSchema,
    web: webSchema.prefault({}),
    edge: edgeSchema.prefault({}),
    tags: tagsSchema,
  })
  .superRefine((spec, ctx) => {
    const known = REGION_AVAILABILITY_ZONES[spec.region];
    spec.availabilityZones?.forEach((zone, i) => {
      if (known && !known.includes(zone)) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones', i],
          message: `"${zone}" is not a zone of ${spec.region} — fix: one of ${known.join(', ')}`,
        });
      }
    });
    if (spec.availabilityZones && new Set(spec.availabilityZones).size !== spec.availabilityZones.length) {
      ctx.addIssue({ code: 'custom', path: ['availabilityZones'], message: 'lists a zone twice — fix: list each zone once' });
    }
    const { minCapacity, maxCapacity, desiredCapacity } = spec.web;
    if (minCapacity > maxCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'minCapacity'],
        message: `${minCapacity} is above maxCapacity ${maxCapacity} — fix: make minCapacity ≤ maxCapacity`,
      });
    }
    if (desiredCapacity !== undefined && (desiredCapacity < minCapacity || desiredCapacity > maxCapacity)) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'desiredCapacity'],
        message: `${desiredCapacity} is outside ${minCapacity}–${maxCapacity} — fix: pick a value between minCapacity and maxCapacity`,
      });
    }
    if (spec.environment === 'production' && minCapacity < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['web', 'minCapacity'],
        message: `${minCapacity} leaves production on one instance — fix: set at least 2 (or environment "staging")`,
      });
    }
  })
  .transform((spec) => ({
    ...spec,
    availabilityZones: spec.availabilityZones ?? defaultAvailabilityZones(spec.region),
    web: { ...spec.web, desiredCapacity: spec.web.desiredCapacity ?? spec.web.minCapacity },
  }));

/** A validated spec with every default filled in. */
export type TenantSpec = z.output<typeof tenantSpecSchema>;
/** What a person writes in tenant.json. */
export type TenantSpecInput = z.input<typeof tenantSpecSchema>;
