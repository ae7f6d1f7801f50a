import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, priceFilePath, readPriceFile } from '@hafleet/cost';
import { SynthesizedStack, type StackJson } from '@hafleet/guardrails';
import { synthesizeTenants } from '@hafleet/tenant-stack';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { readArchitecture } from './architecture.js';
import { architectureDot } from './dot.js';
import { renderSvgs } from './render.js';

let outdir: string;
const json = new Map<string, StackJson>();

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'hafleet-diagram-'));
  for (const s of synthesizeTenants({ workspaceRoot: WORKSPACE_ROOT, outdir, mode: 'offline' }))
    json.set(s.tenant, SynthesizedStack.read(s.file).json);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const nodeClasses = (svg: string) =>
  [...svg.matchAll(/<g id="[^"]*" class="(?:node|cluster) ([^"]+)"/g)].map((m) => m[1]!.replace(/&#45;/g, '-'));

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** What issue 12 adds to a stack, in the shape the provider takes: a DR vault in another region and a copy action on the backup rule. */
function withDrCopies(stack: StackJson): StackJson {
  const copy = structuredClone(stack) as StackJson & { resource: Blocks };
  const r = copy.resource;
  copy.provider = { aws: [...(copy.provider?.['aws'] ?? []), { alias: 'dr', region: 'us-west-2' }] };
  r['aws_backup_vault']!['dr_vault'] = { name: 'lakeside-state-dr', provider: 'aws.dr' };
  const plan = Object.values(r['aws_backup_plan']!)[0] as { rule: Array<Record<string, unknown>> };
  plan.rule[0]!['copy_action'] = [{ destination_vault_arn: '${aws_backup_vault.dr_vault.arn}', lifecycle: { delete_after: 30 } }];
  return copy;
}

/** A stack from before issues 11 and 12: no published runtime configuration, no mail identity, no DR copies. */
function withoutRuntime(stack: StackJson): StackJson {
  const copy = structuredClone(stack) as StackJson & { resource: Blocks };
  delete copy.resource['aws_ssm_parameter'];
  delete copy.resource['aws_sesv2_email_identity'];
  for (const plan of Object.values(copy.resource['aws_backup_plan'] ?? {}) as Array<{ rule: Array<Record<string, unknown>> }>) {
    for (const rule of plan.rule) delete rule['copy_action'];
  }
  return copy;
}

describe('architecture diagram', () => {
  it('reads every tier of the largest example from its stack', () => {
    const arch = readArchitecture('lakeside-state', new SynthesizedStack(json.get('lakeside-state')!));
    expect(arch.zones).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(arch.subnets).toHaveLength(9);
    expect(arch.natGateways.map((n) => n.zone).sort()).toEqual(arch.zones);
    expect(arch.groups).toEqual([
      { role: 'db-provisioner', instanceType: 't3.micro', min: 0, desired: 1, max: 1 },
      { role: 'web', instanceType: 'm7i.2xlarge', min: 10, desired: 20, max: 60 },
      { role: 'worker', instanceType: 'm7i.large', min: 1, desired: 1, max: 1 },
    ]);
    expect(arch.database?.instances.map((i) => `${i.role} ${i.zone}`)).toEqual([
      'writer us-east-1a',
      'reader-1 us-east-1b',
      'reader-2 us-east-1c',
    ]);
    expect(arch.caches[0]?.zones).toEqual(['us-east-1a', 'us-east-1b']);
    expect(arch.files?.mountTargetZones).toEqual(arch.zones);
    expect(arch.cdn?.waf?.rules).toBeGreaterThan(0);
    expect(arch.loadBalancer?.waf?.name).toBe('lakeside-state-alb');
    // lakeside-state copies its backups to us-west-2 (disasterRecovery), kept as long as the originals.
    expect(arch.backup).toMatchObject({ retentionDays: 90, copies: [{ region: 'us-west-2', retentionDays: 90 }] });
    expect(arch.runtimeParameters).toMatchObject({ prefix: '/hafleet/lakeside-state/' });
    expect(arch.runtimeParameters!.secure).toBeGreaterThan(0);
    expect(arch.mail).toEqual({ identity: 'elearning.lakeside-state.edu' });
    // A stack without them: absent, not invented.
    const before = readArchitecture('lakeside-state', new SynthesizedStack(withoutRuntime(json.get('lakeside-state')!)));
    expect(before.runtimeParameters).toBeUndefined();
    expect(before.mail).toBeUndefined();
    expect(before.backup?.copies).toEqual([]);
    expect(architectureDot(before)).not.toMatch(/tier-(config|mail|dr)/);
  });

  it('an RDS Multi-AZ tenant without a CDN draws writer and standby, and no CloudFront', () => {
    const arch = readArchitecture('harbour-health', new SynthesizedStack(json.get('harbour-health')!));
    expect(arch.database?.instances.map((i) => i.role)).toEqual(['writer', 'standby']);
    expect(arch.cdn).toBeUndefined();
    expect(arch.natGateways).toHaveLength(1);
    expect(architectureDot(arch)).not.toContain('tier-cdn');
  });

  it('draws runtime configuration, mail and DR copies once a stack has them, and prices the copies in the DR region', async () => {
    const stack = new SynthesizedStack(withDrCopies(json.get('lakeside-state')!));
    const arch = readArchitecture('lakeside-state', stack);
    expect(arch.backup?.copies).toEqual([{ region: 'us-west-2', retentionDays: 30 }]);

    const [svg, plain] = await renderSvgs([
      architectureDot(arch),
      architectureDot(readArchitecture('lakeside-state', new SynthesizedStack(withoutRuntime(json.get('lakeside-state')!)))),
    ]);
    expect(nodeClasses(svg!)).toEqual(expect.arrayContaining(['tier-dr', 'tier-config', 'tier-mail', 'tier-backup']));
    expect(nodeClasses(plain!).filter((c) => /tier-(dr|config|mail)/.test(c))).toEqual([]);

    const prices = readPriceFile(priceFilePath(WORKSPACE_ROOT));
    const cost = estimateCost(
      { tenant: 'lakeside-state', stack, region: 'us-east-1', concurrentUsers: 4_000, population: 250_000, databaseDataGiB: 510 },
      prices,
    );
    const dr = cost.lines.filter((l) => l.component === 'disaster recovery');
    expect(dr.map((l) => `${l.item} @ ${l.region}`)).toEqual([
      'database copies in us-west-2 @ us-west-2',
      'database copy transfer to us-west-2 @ us-east-1',
      'file system copies in us-west-2 @ us-west-2',
      'file system copy transfer to us-west-2 @ us-east-1',
    ]);
    expect(dr[0]!.monthly).toBeCloseTo(510 * (1 + 0.02 * 30) * prices.regions['us-west-2']!['backup:rds-snapshot-gb-month']!, 6);
    // moodle: 10 a month per account
    expect(cost.byComponent.mail).toBeCloseTo(((10 * 250_000) / 1000) * prices.regions['us-east-1']!['ses:emails-thousand']!, 6);
  });

  it('lays out every example with Graphviz into SVG with a node per tier', async () => {
    const tenants = [...json.keys()].sort();
    const svgs = await renderSvgs(
      tenants.map((t) => architectureDot(readArchitecture(t, new SynthesizedStack(json.get(t)!)))),
      { batch: 2 },
    );
    for (const [i, svg] of svgs.entries()) {
      expect(svg, tenants[i]).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
      expect(nodeClasses(svg), tenants[i]).toEqual(
        expect.arrayContaining([
          'tier-vpc',
          'tier-public',
          'tier-app',
          'tier-data',
          'tier-nat',
          'tier-alb',
          'tier-waf',
          'tier-web',
          'tier-worker',
          'tier-database',
          'tier-cache',
          'tier-files',
          'tier-backup',
        ]),
      );
    }
  });
});
