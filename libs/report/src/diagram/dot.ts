import type { Architecture } from './architecture.js';

/**
 * The architecture as a Graphviz graph: the VPC holds one cluster per subnet tier (public, app,
 * data), each node names its zone, and traffic flows top to bottom (learners → CDN → load
 * balancer → instances → data). Every node carries `class="tier-<tier>"`, which the SVG keeps, so
 * tests and styles find tiers without reading labels.
 */

const COLORS: Record<string, string> = {
  edge: '#fde7d9',
  lb: '#e3ecfb',
  compute: '#e5f4e3',
  data: '#f3e5f5',
  store: '#fff4d6',
  ops: '#eceff1',
};

const esc = (text: string) => text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
const zoneSuffix = (zone: string | undefined) => (zone ? zone.replace(/^.*-\d/, '') || zone : '');

interface NodeSpec {
  readonly id: string;
  readonly tier: string;
  readonly label: string;
  readonly color: keyof typeof COLORS;
  readonly shape?: string;
}

export function architectureDot(arch: Architecture): string {
  const lines: string[] = [];
  const node = ({ id, tier, label, color, shape }: NodeSpec) =>
    `"${id}" [id="${esc(id)}", class="tier-${tier}", label="${esc(label)}", fillcolor="${COLORS[color]}"${shape ? `, shape=${shape}` : ''}];`;
  const edge = (from: string, to: string, attrs = '') => lines.push(`"${from}" -> "${to}"${attrs ? ` [${attrs}]` : ''};`);
  const cidrs = (tier: string) =>
    arch.subnets
      .filter((s) => s.tier === tier)
      .sort((a, b) => a.zone.localeCompare(b.zone))
      .map((s) => `${zoneSuffix(s.zone)} ${s.cidr}`)
      .join('  ·  ');
  const cluster = (id: string, tier: string, label: string, body: string[]) => [
    `subgraph "cluster_${id}" {`,
    `id="${id}"; class="tier-${tier}"; label="${esc(label)}"; style="rounded,dashed"; color="#90a4ae"; fontcolor="#37474f";`,
    ...body,
    '}',
  ];

  lines.push(
    `digraph "${esc(arch.tenant)}" {`,
    'graph [rankdir=TB, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.45, newrank=true, pad=0.2, labeljust=l];',
    'node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.05", color="#607d8b"];',
    'edge [fontname="Helvetica", fontsize=9, color="#546e7a", arrowsize=0.7];',
    node({ id: 'learners', tier: 'users', label: 'learners', color: 'ops', shape: 'oval' }),
  );

  let entry = 'learners';
  if (arch.cdn) {
    lines.push(
      node({
        id: 'cdn',
        tier: 'cdn',
        label: `CloudFront\n${arch.cdn.priceClass}${arch.cdn.shield ? '\nShield Advanced' : ''}`,
        color: 'edge',
      }),
    );
    edge('learners', 'cdn', 'label="HTTPS"');
    if (arch.cdn.waf) {
      lines.push(
        node({
          id: 'waf-cdn',
          tier: 'waf',
          label: `WAF ${arch.cdn.waf.name}\n${arch.cdn.waf.rules} rules (us-east-1)`,
          color: 'edge',
          shape: 'note',
        }),
      );
      lines.push('{ rank=same; "cdn"; "waf-cdn"; }');
      edge('waf-cdn', 'cdn', 'style=dotted, arrowhead=none');
    }
    entry = 'cdn';
  }

  const publicBody: string[] = [];
  if (arch.loadBalancer) {
    const lb = arch.loadBalancer;
    publicBody.push(
      node({
        id: 'alb',
        tier: 'alb',
        label: `load balancer ${lb.name}\n${arch.zones.length} zones${lb.shield ? ', Shield Advanced' : ''}`,
        color: 'lb',
      }),
    );
    if (lb.waf)
      publicBody.push(
        node({ id: 'waf-alb', tier: 'waf', label: `WAF ${lb.waf.name}\n${lb.waf.rules} rules`, color: 'edge', shape: 'note' }),
      );
  }
  arch.natGateways.forEach((nat, i) =>
    publicBody.push(node({ id: `nat-${i}`, tier: 'nat', label: `NAT gateway\n${nat.zone}`, color: 'lb' })),
  );

  const appBody: string[] = [];
  for (const group of arch.groups) {
    const tier = group.role === 'web' || group.role === 'worker' ? group.role : 'jobs';
    appBody.push(
      node({
        id: `group-${group.role}`,
        tier,
        label: `${group.role} group\n${group.min} / ${group.desired} / ${group.max} × ${group.instanceType}\n(min / desired / max)`,
        color: tier === 'jobs' ? 'ops' : 'compute',
      }),
    );
  }
  arch.files?.mountTargetZones.forEach((zone, i) =>
    appBody.push(node({ id: `efs-mount-${i}`, tier: 'files', label: `EFS mount target\n${zone}`, color: 'store' })),
  );

  const dataBody: string[] = [];
  arch.database?.instances.forEach((instance, i) =>
    dataBody.push(
      node({
        id: `db-${i}`,
        tier: 'database',
        label: `${arch.database!.engine} ${instance.role}\n${instance.instanceClass}${instance.zone ? `\n${instance.zone}` : ''}`,
        color: 'data',
      }),
    ),
  );
  arch.caches.forEach((cache, c) =>
    cache.zones.forEach((zone, i) =>
      dataBody.push(
        node({
          id: `cache-${c}-${i}`,
          tier: 'cache',
          label: `${cache.engine} ${i === 0 ? 'primary' : 'replica'}\n${cache.nodeType}${zone ? `\n${zone}` : ''}`,
          color: 'data',
        }),
      ),
    ),
  );

  const vpcLabel = `VPC ${arch.vpcCidr ?? ''} · ${arch.region ?? ''} · zones ${arch.zones.join(', ')}`;
  lines.push(
    ...cluster('vpc', 'vpc', vpcLabel, [
      ...cluster('subnets-public', 'public', `public subnets  ${cidrs('public')}`, publicBody),
      ...cluster('subnets-app', 'app', `app subnets  ${cidrs('app')}`, appBody),
      ...cluster('subnets-data', 'data', `data subnets  ${cidrs('data')}`, dataBody),
    ]),
  );

  // Regional services outside the VPC.
  if (arch.files)
    lines.push(
      node({
        id: 'efs',
        tier: 'files',
        label: `EFS file system\n${arch.files.mountTargetZones.length} mount targets`,
        color: 'store',
        shape: 'cylinder',
      }),
    );
  for (const bucket of arch.buckets)
    lines.push(
      node({ id: `bucket-${bucket.role}`, tier: 'storage', label: `S3 ${bucket.role}\n${bucket.name}`, color: 'store', shape: 'folder' }),
    );
  if (arch.backup) {
    lines.push(
      node({
        id: 'backup',
        tier: 'backup',
        label: `backup vault ${arch.backup.vault}${arch.backup.retentionDays ? `\nkept ${arch.backup.retentionDays} days` : ''}`,
        color: 'ops',
        shape: 'cylinder',
      }),
    );
    arch.backup.copies.forEach((copy, i) => {
      lines.push(
        node({
          id: `dr-${i}`,
          tier: 'dr',
          label: `DR copy\n${copy.region}${copy.retentionDays ? `\nkept ${copy.retentionDays} days` : ''}`,
          color: 'ops',
          shape: 'cylinder',
        }),
      );
      edge('backup', `dr-${i}`, 'label="copy", style=dashed');
    });
  }
  if (arch.runtimeParameters) {
    const p = arch.runtimeParameters;
    lines.push(
      node({
        id: 'config',
        tier: 'config',
        label: `runtime configuration\n${p.count} parameters under ${p.prefix}\n(${p.secure} SecureString)`,
        color: 'ops',
        shape: 'note',
      }),
    );
  }
  if (arch.mail) lines.push(node({ id: 'mail', tier: 'mail', label: `SES identity\n${arch.mail.identity}`, color: 'ops', shape: 'note' }));

  const row = (ids: string[]) => ids.length > 1 && lines.push(`{ rank=same; ${ids.map((id) => `"${id}";`).join(' ')} }`);
  // Traffic and dependencies.
  const web = arch.groups.some((g) => g.role === 'web') ? 'group-web' : undefined;
  const worker = arch.groups.some((g) => g.role === 'worker') ? 'group-worker' : undefined;
  if (arch.loadBalancer) {
    edge(entry, 'alb', entry === 'learners' ? 'label="HTTPS"' : 'label="origin"');
    if (arch.loadBalancer.waf) edge('waf-alb', 'alb', 'style=dotted, arrowhead=none');
    if (web) edge('alb', web);
  }
  const writer = arch.database ? 'db-0' : undefined;
  for (const from of [web, worker].filter((x): x is string => Boolean(x))) {
    if (writer) edge(from, writer);
    if (arch.caches.length > 0) edge(from, 'cache-0-0');
    if (arch.files) edge(from, 'efs', 'style=dashed');
  }
  if (web && arch.buckets.some((b) => b.role === 'content')) edge(web, 'bucket-content', 'style=dashed');
  if (arch.loadBalancer && arch.buckets.some((b) => b.role === 'logs')) edge('alb', 'bucket-logs', 'style=dotted, label="access logs"');
  // Regional services every instance reads (configuration) or sends to (mail) sit in the free
  // space of the top row, without edges that would cross the whole picture.
  row(['learners', ...(arch.runtimeParameters ? ['config'] : []), ...(arch.mail ? ['mail'] : [])]);
  // Job groups (the database provisioner) work on the database only.
  for (const job of arch.groups.filter((g) => g.role !== 'web' && g.role !== 'worker'))
    if (writer) edge(`group-${job.role}`, writer, 'style=dashed, label="once"');
  arch.database?.instances.slice(1).forEach((_, i) => edge('db-0', `db-${i + 1}`, 'style=dashed, label="replica", arrowhead=none'));
  arch.caches.forEach((cache, c) =>
    cache.zones.slice(1).forEach((_, i) => edge(`cache-${c}-0`, `cache-${c}-${i + 1}`, 'style=dashed, arrowhead=none')),
  );
  // One row per tier: NAT gateways beside the load balancer, mount targets beside the instances.
  row([
    ...(arch.loadBalancer ? ['alb'] : []),
    ...(arch.loadBalancer?.waf ? ['waf-alb'] : []),
    ...arch.natGateways.map((_, i) => `nat-${i}`),
  ]);
  row([...arch.groups.map((g) => `group-${g.role}`), ...(arch.files?.mountTargetZones ?? []).map((_, i) => `efs-mount-${i}`)]);
  row([...(writer ? [writer] : []), ...arch.caches.map((_, c) => `cache-${c}-0`)]);
  if (arch.backup) {
    if (writer) edge(writer, 'backup', 'style=dashed, label="daily"');
    if (arch.files) edge('efs', 'backup', 'style=dashed');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
