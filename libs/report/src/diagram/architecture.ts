import type { StackResource, SynthesizedStack } from '@hafleet/guardrails';

/**
 * A tenant's architecture as the synthesized stack has it, read by resource type: what the
 * diagram draws. Resources other issues add later (published runtime parameters, the mail
 * identity, DR copies of backups) appear when the stack has them and are simply absent otherwise.
 */
export type SubnetTier = 'public' | 'app' | 'data';

export interface Architecture {
  readonly tenant: string;
  readonly region: string | undefined;
  readonly vpcCidr: string | undefined;
  readonly zones: readonly string[];
  readonly subnets: ReadonlyArray<{ tier: SubnetTier; zone: string; cidr: string }>;
  readonly natGateways: ReadonlyArray<{ zone: string }>;
  readonly loadBalancer?: { name: string; shield: boolean; waf?: WebAcl };
  readonly groups: ReadonlyArray<{ role: string; instanceType: string; min: number; desired: number; max: number }>;
  readonly database?: { engine: string; instances: ReadonlyArray<{ role: string; instanceClass: string; zone?: string }> };
  readonly caches: ReadonlyArray<{ id: string; engine: string; nodeType: string; zones: readonly string[] }>;
  readonly files?: { mountTargetZones: readonly string[] };
  readonly cdn?: { priceClass: string; waf?: WebAcl; shield: boolean };
  readonly buckets: ReadonlyArray<{ role: string; name: string }>;
  readonly backup?: {
    vault: string;
    retentionDays: number | undefined;
    copies: ReadonlyArray<{ region: string; retentionDays: number | undefined }>;
  };
  /** Published runtime configuration (SSM parameters), when the stack publishes any. */
  readonly runtimeParameters?: { count: number; secure: number; prefix: string };
  readonly mail?: { identity: string };
}

export interface WebAcl {
  readonly name: string;
  readonly rules: number;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
/** `tenant/web/asg` → `web`. */
const construct = (r: StackResource) => r.path.split('/')[1] ?? r.name;
const last = (r: StackResource) => r.path.split('/').at(-1) ?? r.name;

function providerRegion(stack: SynthesizedStack, resource: StackResource | undefined): string | undefined {
  const aws = stack.providers('aws');
  const alias = str(resource?.values['provider'])?.split('.')[1];
  return str(aws.find((p) => p.alias === alias)?.values['region']);
}

function subnetTier(subnet: StackResource): SubnetTier | undefined {
  const text = `${subnet.path} ${str((subnet.values['tags'] as Record<string, unknown> | undefined)?.['Name']) ?? ''}`;
  return (/\b(public|app|data)-(?:subnet|[a-z]{2}-[a-z]+-\d)/.exec(text)?.[1] as SubnetTier | undefined) ?? undefined;
}

function webAcl(acl: StackResource | undefined): WebAcl | undefined {
  if (!acl) return undefined;
  return { name: str(acl.values['name']) ?? acl.name, rules: Array.isArray(acl.values['rule']) ? acl.values['rule'].length : 0 };
}

export function readArchitecture(tenant: string, stack: SynthesizedStack): Architecture {
  const zoneOf = (subnetRef: unknown) =>
    stack
      .referenced(subnetRef)
      .map((s) => str(s.values['availability_zone']))
      .find(Boolean);
  const subnets = stack
    .ofType('aws_subnet')
    .map((s) => ({ tier: subnetTier(s), zone: str(s.values['availability_zone']) ?? '?', cidr: str(s.values['cidr_block']) ?? '?' }))
    .filter((s): s is { tier: SubnetTier; zone: string; cidr: string } => s.tier !== undefined);
  const zones = [...new Set(subnets.map((s) => s.zone))].sort();
  const shielded = new Set(
    stack.ofType('aws_shield_protection').flatMap((p) => stack.referenced(p.values['resource_arn']).map((r) => r.address)),
  );

  const lb = stack.ofType('aws_lb')[0];
  const lbAcl =
    lb &&
    stack
      .ofType('aws_wafv2_web_acl_association')
      .find((a) => stack.referenced(a.values['resource_arn']).some((r) => r.address === lb.address));
  const distribution = stack.ofType('aws_cloudfront_distribution')[0];

  const groups = stack.ofType('aws_autoscaling_group').map((asg) => {
    const template = stack.referenced((asg.values['launch_template'] as { id?: unknown } | undefined)?.id)[0];
    return {
      role: construct(asg),
      instanceType: str(template?.values['instance_type']) ?? '?',
      min: num(asg.values['min_size']) ?? 0,
      desired: num(asg.values['desired_capacity']) ?? num(asg.values['min_size']) ?? 0,
      max: num(asg.values['max_size']) ?? 0,
    };
  });

  let database: Architecture['database'];
  const cluster = stack.ofType('aws_rds_cluster')[0];
  if (cluster) {
    const instances = stack
      .ofType('aws_rds_cluster_instance')
      .map((i) => ({ role: last(i), instanceClass: str(i.values['instance_class']) ?? '?', zone: str(i.values['availability_zone']) }))
      .sort((a, b) => (a.role === 'writer' ? -1 : b.role === 'writer' ? 1 : a.role.localeCompare(b.role)));
    database = { engine: str(cluster.values['engine']) ?? 'aurora', instances };
  } else {
    const db = stack.ofType('aws_db_instance')[0];
    if (db) {
      const cls = str(db.values['instance_class']) ?? '?';
      const instances =
        db.values['multi_az'] === true
          ? [
              { role: 'writer', instanceClass: cls },
              { role: 'standby', instanceClass: cls },
            ]
          : [{ role: 'writer', instanceClass: cls }];
      database = { engine: str(db.values['engine']) ?? 'rds', instances };
    }
  }

  const caches = stack.ofType('aws_elasticache_replication_group').map((g) => {
    const count =
      num(g.values['num_cache_clusters']) ??
      (num(g.values['num_node_groups']) ?? 1) * ((num(g.values['replicas_per_node_group']) ?? 0) + 1);
    const preferred = (g.values['preferred_cache_cluster_azs'] as string[] | undefined) ?? [];
    return {
      id: str(g.values['replication_group_id']) ?? g.name,
      engine: str(g.values['engine']) ?? 'redis',
      nodeType: str(g.values['node_type']) ?? '?',
      zones: Array.from({ length: count }, (_, i) => preferred[i] ?? ''),
    };
  });

  const fileSystem = stack.ofType('aws_efs_file_system')[0];
  const plan = stack.ofType('aws_backup_plan')[0];
  const vault =
    stack.ofType('aws_backup_vault').find((v) => providerRegion(stack, v) === providerRegion(stack, undefined)) ??
    stack.ofType('aws_backup_vault')[0];
  const rules = (plan?.values['rule'] as Array<Record<string, unknown>> | undefined) ?? [];
  const parameters = stack.ofType('aws_ssm_parameter');
  const names = parameters.map((p) => str(p.values['name']) ?? '');
  const identity = stack.ofType('aws_sesv2_email_identity')[0] ?? stack.ofType('aws_ses_domain_identity')[0];

  return {
    tenant,
    region: providerRegion(stack, undefined),
    vpcCidr: str(stack.ofType('aws_vpc')[0]?.values['cidr_block']),
    zones,
    subnets,
    natGateways: stack.ofType('aws_nat_gateway').map((n) => ({ zone: zoneOf(n.values['subnet_id']) ?? '?' })),
    ...(lb && {
      loadBalancer: {
        name: str(lb.values['name']) ?? lb.name,
        shield: shielded.has(lb.address),
        waf: webAcl(lbAcl && stack.referenced(lbAcl.values['web_acl_arn'])[0]),
      },
    }),
    groups,
    ...(database && { database }),
    caches,
    ...(fileSystem && {
      files: {
        mountTargetZones: stack
          .ofType('aws_efs_mount_target')
          .map((m) => zoneOf(m.values['subnet_id']) ?? '?')
          .sort(),
      },
    }),
    ...(distribution && {
      cdn: {
        priceClass: str(distribution.values['price_class']) ?? 'PriceClass_All',
        waf: webAcl(stack.referenced(distribution.values['web_acl_id'])[0]),
        shield: shielded.has(distribution.address),
      },
    }),
    buckets: stack.ofType('aws_s3_bucket').map((b) => ({ role: construct(b), name: str(b.values['bucket']) ?? b.name })),
    ...(vault && {
      backup: {
        vault: str(vault.values['name']) ?? vault.name,
        retentionDays: num((rules[0]?.['lifecycle'] as { delete_after?: unknown } | undefined)?.delete_after),
        copies: rules.flatMap((rule) =>
          ((rule['copy_action'] as Array<Record<string, unknown>> | undefined) ?? []).map((copy) => ({
            region:
              providerRegion(stack, stack.referenced(copy['destination_vault_arn'])[0]) ??
              /arn:aws[a-z-]*:backup:([a-z0-9-]+):/.exec(str(copy['destination_vault_arn']) ?? '')?.[1] ??
              'another region',
            retentionDays: num((copy['lifecycle'] as { delete_after?: unknown } | undefined)?.delete_after),
          })),
        ),
      },
    }),
    ...(parameters.length > 0 && {
      runtimeParameters: {
        count: parameters.length,
        secure: parameters.filter((p) => p.values['type'] === 'SecureString').length,
        prefix: commonPrefix(names),
      },
    }),
    ...(identity && { mail: { identity: str(identity.values['email_identity']) ?? str(identity.values['domain']) ?? identity.name } }),
  };
}

function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return '';
  let prefix = names[0]!;
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1) || prefix;
}
