import { closest } from './nearest.js';

/**
 * The instance types, database classes and cache node types a spec may name, kept with the project
 * so that `synth` and `validate` refuse a type AWS does not have (it would otherwise fail only at
 * apply) and name the nearest one. A dated list: when AWS adds a family, add it here.
 * Compiled from the AWS documentation: EC2 "Instance types", RDS "DB instance classes" and
 * ElastiCache "Supported node types" (current generation; Graviton and Intel/AMD).
 */
export const AWS_CATALOGUE_AS_OF = '2026-12-01';
export const AWS_CATALOGUE_FILE = 'libs/tenant-spec/src/aws-catalogue.ts';

const sizes = (family: string, list: string): string[] => list.split(' ').map((size) => `${family}.${size}`);
const BURST = 'nano micro small medium large xlarge 2xlarge';
const GENERAL = 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge';
const GRAVITON = 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge';

/** EC2 instance types for the web and worker tiers. */
export const EC2_INSTANCE_TYPES: readonly string[] = [
  ...sizes('t3', BURST),
  ...sizes('t3a', BURST),
  ...sizes('t4g', BURST),
  ...['m5', 'm5a', 'm6i', 'm6a', 'c5', 'c6i', 'c6a', 'r5', 'r6i', 'r6a'].flatMap((f) => sizes(f, GENERAL)),
  ...['m7i', 'm7a', 'c7i', 'c7a', 'r7i', 'r7a'].flatMap((f) => sizes(f, `${GENERAL} 48xlarge`)),
  ...['m6g', 'm7g', 'c6g', 'c7g', 'r6g', 'r7g'].flatMap((f) => sizes(f, GRAVITON)),
];

/** RDS and Aurora DB instance classes. */
export const RDS_INSTANCE_CLASSES: readonly string[] = [
  ...sizes('db.t3', 'micro small medium large xlarge 2xlarge'),
  ...sizes('db.t4g', 'micro small medium large xlarge 2xlarge'),
  ...['db.m5', 'db.m6i', 'db.r5', 'db.r6i'].flatMap((f) => sizes(f, GENERAL)),
  ...['db.m6g', 'db.m7g', 'db.r6g', 'db.r7g'].flatMap((f) => sizes(f, 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge')),
];

/** ElastiCache (Valkey, Redis OSS) node types. */
export const CACHE_NODE_TYPES: readonly string[] = [
  ...sizes('cache.t3', 'micro small medium'),
  ...sizes('cache.t4g', 'micro small medium'),
  ...['cache.m5', 'cache.r5'].flatMap((f) => sizes(f, 'large xlarge 2xlarge 4xlarge 12xlarge 24xlarge')),
  ...['cache.m6g', 'cache.m7g', 'cache.r6g', 'cache.r7g'].flatMap((f) =>
    sizes(f, 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge'),
  ),
];

export type CatalogueKind = 'ec2' | 'rds' | 'cache';
const LISTS: Record<CatalogueKind, { list: readonly string[]; what: string }> = {
  ec2: { list: EC2_INSTANCE_TYPES, what: 'an EC2 instance type' },
  rds: { list: RDS_INSTANCE_CLASSES, what: 'an RDS DB instance class' },
  cache: { list: CACHE_NODE_TYPES, what: 'an ElastiCache node type' },
};

/** The nearest type in the catalogue: the same family's nearest size when the family is known, else the nearest family. */
export function nearestCatalogueType(kind: CatalogueKind, value: string): string {
  const { list } = LISTS[kind];
  const family = value.slice(0, value.lastIndexOf('.'));
  const size = value.slice(value.lastIndexOf('.') + 1);
  const families = [...new Set(list.map((t) => t.slice(0, t.lastIndexOf('.'))))];
  const nearFamily = families.includes(family) ? family : closest(family, families)!;
  const inFamily = list.filter((t) => t.startsWith(`${nearFamily}.`));
  return inFamily.find((t) => t.endsWith(`.${size}`)) ?? closest(`${nearFamily}.${size}`, inFamily)!;
}

/** What is wrong with a type (not in the catalogue, with the nearest one), or undefined. */
export function catalogueProblem(kind: CatalogueKind, value: string): string | undefined {
  const { list, what } = LISTS[kind];
  if (list.includes(value)) return undefined;
  return (
    `"${value}" is not ${what} hafleet knows (list of ${AWS_CATALOGUE_AS_OF}) — fix: e.g. ` +
    `"${nearestCatalogueType(kind, value)}" (the nearest), or add it to ${AWS_CATALOGUE_FILE} if AWS has it`
  );
}
