import { declaredObjects, type StackResource, type SynthesizedStack } from '@hafleet/guardrails';
import { PriceError, RegionPrices, priceSourceLine, type PriceFile } from './prices.js';
import { usageFor, type UsageAssumptions } from './usage.js';

/** Hours in the month every monthly figure uses (AWS's own 730). */
export const HOURS_PER_MONTH = 730;

export type CostComponent =
  | 'web'
  | 'worker'
  | 'jobs'
  | 'database'
  | 'cache'
  | 'network'
  | 'load balancer'
  | 'files'
  | 'content'
  | 'delivery'
  | 'security'
  | 'observability'
  | 'backup'
  | 'disaster recovery'
  | 'mail';

/** One priced item: quantity × unit price, and where the quantity comes from. */
export interface CostLine {
  readonly component: CostComponent;
  readonly item: string;
  readonly quantity: number;
  /** What one unit is: `instance-hour`, `GB-month`, ... */
  readonly unit: string;
  readonly unitPrice: number;
  /** The price file key the unit price comes from, and the region it is priced in. */
  readonly priceKey: string;
  readonly region: string;
  readonly monthly: number;
  /** `stack` when the quantity is read from the synthesized stack; `assumption` when it comes from the usage assumptions. */
  readonly basis: 'stack' | 'assumption';
  /** How the quantity was worked out, in words a person checks. */
  readonly how: string;
}

export interface CostInput {
  readonly tenant: string;
  readonly stack: SynthesizedStack;
  /** The stack's home region (the default provider's). */
  readonly region: string;
  readonly concurrentUsers: number;
  readonly population: number;
  /** The application profile whose usage assumptions apply. */
  readonly profile?: string;
  /** The database's data size (GiB), from the sizing model: Aurora storage and backup volume. */
  readonly databaseDataGiB: number;
}

export interface CostEstimate {
  readonly tenant: string;
  readonly region: string;
  readonly currency: 'USD';
  /** Estimated monthly on-demand total. */
  readonly monthly: number;
  readonly byComponent: Readonly<Partial<Record<CostComponent, number>>>;
  readonly lines: readonly CostLine[];
  /** The usage assumptions, one sentence each, to print beside the figure. */
  readonly assumptions: readonly string[];
  readonly usage: UsageAssumptions;
  /** Where the prices come from (example file or AWS, and when). */
  readonly priceSource: string;
  readonly examplePrices: boolean;
}

const cents = (value: number) => Math.round(value * 100) / 100;
const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The region a resource runs in: its provider alias's region, else the stack's. */
function regionOf(stack: SynthesizedStack, resource: StackResource, home: string): string {
  const provider = resource.values['provider'];
  if (typeof provider !== 'string') return home;
  const alias = provider.split('.')[1];
  const region = stack.providers('aws').find((p) => p.alias === alias)?.values['region'];
  return typeof region === 'string' ? region : home;
}

/** The stack's home region, from its default AWS provider. */
export function stackRegion(stack: SynthesizedStack): string | undefined {
  const region = stack.providers('aws').find((p) => p.alias === undefined)?.values['region'];
  return typeof region === 'string' ? region : undefined;
}

/** `web/asg` → `web`: the construct a resource belongs to, under the tenant. */
const role = (resource: StackResource) => resource.path.split('/')[1] ?? resource.name;

const num = (value: unknown, fallback = 0): number => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
};

/**
 * The monthly on-demand estimate of one tenant: quantities read from the synthesized stack
 * (instance types and desired counts, database classes and storage, cache nodes, NAT gateways,
 * load balancers, web ACLs, keys, alarms, backup and DR copy rules) and, where a stack cannot say,
 * from the profile's usage assumptions, which are returned as sentences beside the figure.
 */
export function estimateCost(input: CostInput, prices: PriceFile): CostEstimate {
  const { stack, tenant } = input;
  const usage = usageFor(input.profile);
  const home = RegionPrices.of(prices, input.region, { tenant });
  const lines: CostLine[] = [];
  const add = (
    component: CostComponent,
    item: string,
    quantity: number,
    unit: string,
    priceKey: string,
    how: string,
    basis: CostLine['basis'] = 'stack',
    region: RegionPrices = home,
  ) => {
    const unitPrice = region.get(priceKey);
    lines.push({ component, item, quantity, unit, unitPrice, priceKey, region: region.region, monthly: quantity * unitPrice, basis, how });
  };
  const pricesIn = (region: string) => (region === input.region ? home : RegionPrices.of(prices, region, { tenant }));

  // Compute: web and worker groups at their desired capacity, other groups (one-shot jobs such as
  // the database provisioner, which scales itself back down) at their minimum; root volumes with them.
  let instances = 0;
  for (const asg of stack.ofType('aws_autoscaling_group')) {
    const template = stack.referenced((asg.values['launch_template'] as { id?: unknown } | undefined)?.id)[0];
    const type = template?.values['instance_type'];
    if (typeof type !== 'string') continue;
    const component: CostComponent = role(asg) === 'worker' ? 'worker' : role(asg) === 'web' ? 'web' : 'jobs';
    const min = num(asg.values['min_size']);
    const running = component === 'jobs' ? min : num(asg.values['desired_capacity'], min);
    instances += running;
    const sizes = `min ${min} / desired ${num(asg.values['desired_capacity'], min)} / max ${num(asg.values['max_size'])}`;
    const how =
      component === 'jobs'
        ? `${role(asg)}: a job group, at its minimum ${running} between runs (${sizes})`
        : `desired capacity ${running} × ${HOURS_PER_MONTH} h (${sizes})`;
    add(component, `${running} × ${type}`, running * HOURS_PER_MONTH, 'instance-hour', `ec2:${type}`, how);
    const volumes =
      (template!.values['block_device_mappings'] as Array<{ ebs?: { volume_size?: unknown; volume_type?: unknown } }> | undefined) ?? [];
    const gib = volumes.reduce((sum, v) => sum + num(v.ebs?.volume_size), 0);
    if (gib > 0 && running > 0)
      add(
        component,
        `root volumes ${running} × ${gib} GiB gp3`,
        running * gib,
        'GB-month',
        'ebs:gp3-gb-month',
        `${running} instance${running === 1 ? '' : 's'} × ${gib} GiB`,
      );
  }

  // Databases: RDS Multi-AZ instances (writer + standby in one price), Aurora instances and storage.
  for (const db of stack.ofType('aws_db_instance')) {
    const engine = String(db.values['engine']);
    const cls = String(db.values['instance_class']);
    const az = db.values['multi_az'] === true ? 'multi-az' : 'single-az';
    add(
      'database',
      `${engine} ${cls} (${az === 'multi-az' ? 'Multi-AZ: writer + standby' : 'single zone'})`,
      HOURS_PER_MONTH,
      'instance-hour',
      `rds:${engine}:${az}:${cls}`,
      `${HOURS_PER_MONTH} h`,
    );
    const storage = num(db.values['allocated_storage']);
    add(
      'database',
      `${storage} GiB ${String(db.values['storage_type'] ?? 'gp3')} storage`,
      storage,
      'GB-month',
      `rds:gp3-${az}-gb-month`,
      `allocated storage ${storage} GiB (grows up to ${num(db.values['max_allocated_storage'], storage)} GiB)`,
    );
  }
  for (const instance of stack.ofType('aws_rds_cluster_instance')) {
    const cluster = stack.referenced(instance.values['cluster_identifier'])[0];
    const engine = String(cluster?.values['engine'] ?? instance.values['engine']);
    const cls = String(instance.values['instance_class']);
    add(
      'database',
      `${engine} ${cls} (${role(instance) === 'database' ? instance.path.split('/').at(-1) : instance.name})`,
      HOURS_PER_MONTH,
      'instance-hour',
      `rds:${engine}:${cls}`,
      `${HOURS_PER_MONTH} h`,
    );
  }
  for (const cluster of stack.ofType('aws_rds_cluster')) {
    const gib = input.databaseDataGiB;
    add(
      'database',
      `Aurora storage ${gib} GiB`,
      gib,
      'GB-month',
      'rds:aurora-gb-month',
      `data size from the sizing model (20 GiB + 2 MiB per account)`,
      'assumption',
    );
    if (cluster.values['storage_type'] !== 'aurora-iopt1') {
      const io = usage.auroraIoMillionsPerPeakUser * input.concurrentUsers;
      add(
        'database',
        `Aurora I/O ${count(io)} million requests`,
        io,
        'million requests',
        'rds:aurora-io-million',
        `${usage.auroraIoMillionsPerPeakUser} million per peak user × ${count(input.concurrentUsers)}`,
        'assumption',
      );
    }
  }

  // Caches: every node of every replication group, all month.
  for (const group of stack.ofType('aws_elasticache_replication_group')) {
    const node = String(group.values['node_type']);
    const engine = String(group.values['engine'] ?? 'redis');
    const nodes =
      num(group.values['num_cache_clusters']) ||
      num(group.values['num_node_groups'], 1) * (num(group.values['replicas_per_node_group']) + 1);
    add(
      'cache',
      `${String(group.values['replication_group_id'] ?? group.name)}: ${nodes} × ${node}`,
      nodes * HOURS_PER_MONTH,
      'node-hour',
      `elasticache:${engine}:${node}`,
      `${nodes} nodes × ${HOURS_PER_MONTH} h`,
    );
  }

  // Network: NAT gateways by the hour, and what the instances send through them.
  const nats = stack.ofType('aws_nat_gateway').length;
  if (nats > 0) {
    add(
      'network',
      `${nats} NAT gateway${nats === 1 ? '' : 's'}`,
      nats * HOURS_PER_MONTH,
      'gateway-hour',
      'nat:hour',
      `${nats} × ${HOURS_PER_MONTH} h`,
    );
    const gb = instances * usage.natGbPerInstance;
    add(
      'network',
      `NAT data processed ${count(gb)} GB`,
      gb,
      'GB',
      'nat:gb',
      `${instances} instances × ${usage.natGbPerInstance} GB`,
      'assumption',
    );
  }

  // Interface endpoints (e.g. SES SMTP): by the hour in each subnet; gateway endpoints are free.
  for (const endpoint of stack.ofType('aws_vpc_endpoint').filter((e) => e.values['vpc_endpoint_type'] === 'Interface')) {
    const zones = Array.isArray(endpoint.values['subnet_ids']) ? endpoint.values['subnet_ids'].length : 1;
    const service = String(endpoint.values['service_name'] ?? endpoint.name)
      .split('.')
      .at(-1);
    add(
      'network',
      `${service} interface endpoint in ${zones} zone${zones === 1 ? '' : 's'}`,
      zones * HOURS_PER_MONTH,
      'endpoint-hour',
      'vpce:interface-hour',
      `${zones} × ${HOURS_PER_MONTH} h (data processed is small and not priced)`,
    );
  }

  // Load balancers: by the hour, plus capacity units from the load.
  const egressGb = usage.egressGbPerPeakUser * input.concurrentUsers;
  const requests = egressGb * usage.requestsPerGb;
  for (const lb of stack.ofType('aws_lb')) {
    add('load balancer', String(lb.values['name'] ?? lb.name), HOURS_PER_MONTH, 'ALB-hour', 'alb:hour', `${HOURS_PER_MONTH} h`);
    const lcuHours = usage.lcuPerPeakUser * input.concurrentUsers * HOURS_PER_MONTH;
    add(
      'load balancer',
      `${count(usage.lcuPerPeakUser * input.concurrentUsers)} LCU on average`,
      lcuHours,
      'LCU-hour',
      'alb:lcu-hour',
      `${usage.lcuPerPeakUser} LCU per peak user × ${count(input.concurrentUsers)} × ${HOURS_PER_MONTH} h`,
      'assumption',
    );
  }

  // Files and content.
  const efsGb = usage.efsGbPerAccount * input.population;
  for (const fs of stack.ofType('aws_efs_file_system')) {
    add(
      'files',
      `EFS ${count(efsGb)} GB (${String(fs.values['throughput_mode'] ?? 'bursting')} throughput)`,
      efsGb,
      'GB-month',
      'efs:standard-gb-month',
      `${usage.efsGbPerAccount} GB per account × ${count(input.population)}, all in Standard`,
      'assumption',
    );
  }
  const buckets = stack.ofType('aws_s3_bucket');
  const contentGb = usage.contentGbPerAccount * input.population;
  const logGb = (requests * usage.logBytesPerRequest) / 1e9;
  for (const bucket of buckets) {
    const declared = declaredObjects(stack, bucket);
    if (declared) {
      // Holds only what the stack writes (the maintenance page): its size is known, not assumed.
      const bytes = declared.reduce((sum, o) => sum + Buffer.byteLength(String(o.values['content'] ?? '')), 0);
      const gb = bytes / 1e9;
      const what = `${declared.length} object${declared.length === 1 ? '' : 's'} of ${count(bytes)} bytes declared in the stack`;
      add('content', `S3 ${role(bucket)} ${count(bytes)} bytes`, gb, 'GB-month', 's3:standard-gb-month', what);
      continue;
    }
    const isLogs = role(bucket) === 'logs';
    const gb = isLogs ? logGb : contentGb;
    const how = isLogs
      ? `one month of access and WAF logs: ${count(requests)} requests × ${usage.logBytesPerRequest} bytes`
      : `${usage.contentGbPerAccount} GB per account × ${count(input.population)}`;
    add('content', `S3 ${role(bucket)} ${count(gb)} GB`, gb, 'GB-month', 's3:standard-gb-month', how, 'assumption');
  }

  // Delivery to learners: through CloudFront when the stack has it, else straight from the region.
  const distributions = stack.ofType('aws_cloudfront_distribution');
  const servedBy = `${usage.egressGbPerPeakUser} GB per peak user × ${count(input.concurrentUsers)}`;
  if (distributions.length > 0) {
    add(
      'delivery',
      `CloudFront ${count(egressGb)} GB to learners`,
      egressGb,
      'GB',
      'cloudfront:out-gb',
      `${servedBy} (origin fetches from the ALB and S3 are free)`,
      'assumption',
    );
    add(
      'delivery',
      `CloudFront ${count(requests)} HTTPS requests`,
      requests / 10_000,
      '10k requests',
      'cloudfront:https-requests-10k',
      `${count(egressGb)} GB × ${count(usage.requestsPerGb)} requests per GB`,
      'assumption',
    );
  } else {
    add('delivery', `internet data transfer ${count(egressGb)} GB`, egressGb, 'GB', 'transfer:internet-out-gb', servedBy, 'assumption');
  }

  // Security: web ACLs (each sees every request), Shield Advanced, keys, secrets.
  // Shield Advanced covers the standard WAF fees (ACL, rules, requests) of the resources it protects.
  const shielded = new Set(
    stack.ofType('aws_shield_protection').flatMap((p) => stack.referenced(p.values['resource_arn']).map((r) => r.address)),
  );
  for (const acl of stack.ofType('aws_wafv2_web_acl')) {
    const guarded = [
      ...stack.referrers(acl.address, 'aws_wafv2_web_acl_association').flatMap((a) => stack.referenced(a.values['resource_arn'])),
      ...stack.referrers(acl.address, 'aws_cloudfront_distribution'),
    ];
    const covered = guarded.length > 0 && guarded.every((r) => shielded.has(r.address));
    const first = lines.length;
    const rules = Array.isArray(acl.values['rule']) ? acl.values['rule'].length : 0;
    const where = pricesIn(regionOf(stack, acl, input.region));
    const label = `web ACL ${String(acl.values['name'] ?? acl.name)}`;
    add('security', label, 1, 'web ACL-month', 'waf:web-acl-month', '1 web ACL', 'stack', where);
    add('security', `${label}: ${rules} rules`, rules, 'rule-month', 'waf:rule-month', `${rules} rules`, 'stack', where);
    add(
      'security',
      `${label}: ${count(requests / 1e6)} million requests`,
      requests / 1e6,
      'million requests',
      'waf:requests-million',
      `every request (${count(egressGb)} GB × ${count(usage.requestsPerGb)} per GB)`,
      'assumption',
      where,
    );
    if (covered) {
      for (let i = first; i < lines.length; i++)
        lines[i] = { ...lines[i]!, monthly: 0, how: `${lines[i]!.how}; covered by the Shield Advanced subscription` };
    }
  }
  if (stack.ofType('aws_shield_protection').length > 0) {
    add(
      'security',
      'Shield Advanced subscription',
      1,
      'month',
      'shield:advanced-month',
      'the fee is per AWS Organization (all its accounts and resources): counted in full for this tenant; its data transfer fee is not priced',
    );
  }
  const keys = stack.ofType('aws_kms_key').length;
  if (keys > 0)
    add(
      'security',
      `${keys} KMS key${keys === 1 ? '' : 's'}`,
      keys,
      'key-month',
      'kms:key-month',
      `${keys} customer managed key${keys === 1 ? '' : 's'}`,
    );
  const secrets =
    stack.ofType('aws_secretsmanager_secret').length +
    [...stack.ofType('aws_rds_cluster'), ...stack.ofType('aws_db_instance')].filter((r) => r.values['manage_master_user_password'] === true)
      .length;
  if (secrets > 0)
    add(
      'security',
      `${secrets} Secrets Manager secret${secrets === 1 ? '' : 's'}`,
      secrets,
      'secret-month',
      'secretsmanager:secret-month',
      `${secrets} secrets (managed master passwords included)`,
    );

  // Observability: alarms, dashboards, logs.
  const alarms = stack.ofType('aws_cloudwatch_metric_alarm').length;
  if (alarms > 0) add('observability', `${alarms} alarms`, alarms, 'alarm-month', 'cloudwatch:alarm-month', `${alarms} standard alarms`);
  const dashboards = stack.ofType('aws_cloudwatch_dashboard').length;
  if (dashboards > 0)
    add(
      'observability',
      `${dashboards} dashboard${dashboards === 1 ? '' : 's'}`,
      dashboards,
      'dashboard-month',
      'cloudwatch:dashboard-month',
      `${dashboards} dashboard${dashboards === 1 ? '' : 's'}`,
    );
  if (stack.ofType('aws_cloudwatch_log_group').length > 0) {
    const gb = instances * usage.logGbPerInstance;
    add(
      'observability',
      `CloudWatch Logs ${count(gb)} GB ingested`,
      gb,
      'GB',
      'cloudwatch:logs-ingest-gb',
      `${instances} instances × ${usage.logGbPerInstance} GB (flow and system logs)`,
      'assumption',
    );
  }

  // Backup: recovery points of what the plan selects, and copies to a DR region when a rule has them.
  for (const plan of stack.ofType('aws_backup_plan')) {
    for (const rule of (plan.values['rule'] as Array<Record<string, unknown>> | undefined) ?? []) {
      const days = num((rule['lifecycle'] as { delete_after?: unknown } | undefined)?.delete_after, 35);
      const factor = 1 + usage.dailyChangeShare * days;
      const kept = `1 full copy + ${usage.dailyChangeShare * 100} % daily change × ${days} days kept = ${count(factor)} × the data`;
      const protectedData: Array<[string, number, string]> = [
        ['database', input.databaseDataGiB, 'backup:rds-snapshot-gb-month'],
        ...(stack.ofType('aws_efs_file_system').length > 0
          ? [['file system', efsGb, 'backup:efs-warm-gb-month'] as [string, number, string]]
          : []),
      ];
      for (const [what, gb, key] of protectedData) {
        add('backup', `${what} recovery points (${String(rule['rule_name'] ?? 'rule')})`, gb * factor, 'GB-month', key, kept, 'assumption');
      }
      for (const copy of (rule['copy_action'] as Array<Record<string, unknown>> | undefined) ?? []) {
        const vault = stack.referenced(copy['destination_vault_arn'])[0];
        const drRegion = vault ? regionOf(stack, vault, input.region) : input.region;
        const copyDays = num((copy['lifecycle'] as { delete_after?: unknown } | undefined)?.delete_after, days);
        const copyFactor = 1 + usage.dailyChangeShare * copyDays;
        const dr = pricesIn(drRegion);
        for (const [what, gb, key] of protectedData) {
          add(
            'disaster recovery',
            `${what} copies in ${drRegion}`,
            gb * copyFactor,
            'GB-month',
            key,
            `1 full copy + ${usage.dailyChangeShare * 100} % daily change × ${copyDays} days kept`,
            'assumption',
            dr,
          );
          const moved = gb * usage.dailyChangeShare * 30 + gb;
          add(
            'disaster recovery',
            `${what} copy transfer to ${drRegion}`,
            moved,
            'GB',
            'transfer:inter-region-gb',
            `first full copy + ${usage.dailyChangeShare * 100} % daily change × 30 days (upper bound)`,
            'assumption',
          );
        }
      }
    }
  }

  // Mail (issue 11's SES identity), only when the stack sends mail itself.
  if (stack.ofType('aws_sesv2_email_identity').length + stack.ofType('aws_ses_domain_identity').length > 0) {
    const thousands = (usage.emailsPerAccount * input.population) / 1000;
    add(
      'mail',
      `SES ${count(thousands * 1000)} emails`,
      thousands,
      '1,000 emails',
      'ses:emails-thousand',
      `${usage.emailsPerAccount} per account × ${count(input.population)}`,
      'assumption',
    );
  }

  const byComponent: Partial<Record<CostComponent, number>> = {};
  for (const line of lines) byComponent[line.component] = (byComponent[line.component] ?? 0) + line.monthly;
  for (const key of Object.keys(byComponent) as CostComponent[]) byComponent[key] = cents(byComponent[key]!);
  return {
    tenant,
    region: input.region,
    currency: prices.currency,
    monthly: cents(lines.reduce((sum, line) => sum + line.monthly, 0)),
    byComponent,
    lines,
    assumptions: assumptionSentences(usage, input),
    usage,
    priceSource: priceSourceLine(prices),
    examplePrices: prices.example,
  };
}

/** The usage assumptions as sentences, with this tenant's numbers. */
export function assumptionSentences(usage: UsageAssumptions, input: Pick<CostInput, 'concurrentUsers' | 'population'>): string[] {
  const egress = usage.egressGbPerPeakUser * input.concurrentUsers;
  return [
    `usage assumptions of the ${usage.profile} profile; on-demand, ${HOURS_PER_MONTH} hours a month, no savings plans, reservations or free tier`,
    `compute at the desired capacity all month (scale-out above it costs more, scale-in below it less)`,
    `learners download ${usage.egressGbPerPeakUser} GB per peak concurrent user a month: ${count(egress)} GB, ${count(egress * usage.requestsPerGb)} requests`,
    `each instance sends ${usage.natGbPerInstance} GB a month through NAT and ingests ${usage.logGbPerInstance} GB of logs`,
    `files: ${usage.efsGbPerAccount} GB of EFS and ${usage.contentGbPerAccount} GB of S3 content per account (${count(input.population)} accounts)`,
    `backups and DR copies keep 1 full copy plus ${usage.dailyChangeShare * 100} % daily change for each day retained`,
  ];
}

export { PriceError };
