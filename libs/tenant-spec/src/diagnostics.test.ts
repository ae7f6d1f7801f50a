import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SIZING_BANDS } from '@hafleet/sizing';
import { CACHE_NODE_TYPES, EC2_INSTANCE_TYPES, RDS_INSTANCE_CLASSES, catalogueProblem } from './aws-catalogue.js';
import { loadFleetConfig } from './fleet-config.js';
import { inspectFleet, loadFleet } from './load.js';
import { SpecValidationError } from './problems.js';

/** Broken tenant folders and fleet files (issue 13.8): one clear problem each, naming the tenant, the field and the fix. */

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
function workspace(specs: Record<string, object | string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-diag-'));
  roots.push(root);
  for (const [folder, spec] of Object.entries(specs)) {
    mkdirSync(join(root, 'tenants', folder), { recursive: true });
    writeFileSync(join(root, 'tenants', folder, 'tenant.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
  }
  return root;
}
const spec = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  displayName: name,
  region: 'eu-west-1',
  domain: `${name}.example.org`,
  expectedLoad: { concurrentUsers: 100, population: 2_000 },
  alerts: { emails: ['ops@example.org'] },
  network: { vpcCidr: name === 'alpha' ? '10.0.0.0/16' : '10.1.0.0/16' },
  app: { amiId: 'ami-0123456789abcdef0' },
  edge: { certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
  ...extra,
});
function problems(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof SpecValidationError)
      return [error.message.split('\n')[0]!, ...error.problems.map((p) => `${p.file}: ${p.tenant} ${p.field}: ${p.message}`)];
    throw error;
  }
  return [];
}

describe('broken tenant folders', () => {
  it('a byte-order mark is named as such, not "invalid symbol at line 1"', () => {
    const root = workspace({ alpha: `\uFEFF${JSON.stringify(spec('alpha'))}` });
    expect(problems(() => loadFleet(root))).toContain(
      'tenants/alpha/tenant.json: alpha : starts with a byte-order mark (BOM), which JSON does not allow — fix: save the file as UTF-8 without BOM',
    );
  });

  it('a tenant.json that is a symbolic link (here to a file outside the workspace) is refused, not followed', () => {
    const outside = workspace();
    writeFileSync(join(outside, 'secret.json'), JSON.stringify(spec('alpha')));
    const root = workspace();
    mkdirSync(join(root, 'tenants/alpha'), { recursive: true });
    symlinkSync(join(outside, 'secret.json'), join(root, 'tenants/alpha/tenant.json'));
    expect(problems(() => loadFleet(root)).join('\n')).toContain(
      `tenants/alpha/tenant.json: alpha : is a symbolic link (to ${join(outside, 'secret.json')}) — fix: replace it with the file itself`,
    );
  });

  it('an empty tenant folder is named, not "no such tenant"', () => {
    const root = workspace({ alpha: spec('alpha') });
    mkdirSync(join(root, 'tenants/beta'));
    expect(problems(() => loadFleet(root, { only: ['beta'] }))).toContain(
      'tenants/beta/tenant.json: beta : the folder tenants/beta has no tenant.json — fix: onboard it (npx fleet onboard beta) or remove the folder',
    );
  });

  it('a spec named differently from its folder is named by its folder', () => {
    const root = workspace({ alpha: spec('alpha'), 'beta-old': spec('beta') });
    expect(problems(() => loadFleet(root, { only: ['beta-old'] }))).toContain(
      'tenants/beta-old/tenant.json: beta-old name: the spec in folder "beta-old" is named "beta" — fix: set name to "beta-old", or rename the folder to beta',
    );
  });

  it('a broken fleet.json is headed as fleet.json, with a fix instead of zod\'s "expected string, received undefined"', () => {
    const root = workspace();
    writeFileSync(join(root, 'fleet.json'), JSON.stringify({ stateBackend: { bucket: 'b-state', region: 'eu-west-1' } }));
    const found = problems(() => loadFleetConfig(root));
    expect(found[0]).toBe('invalid fleet.json (1 problem):');
    expect(found[1]).toBe('fleet.json: (fleet) defaultAccountId: is required — fix: add "defaultAccountId" (string)');
  });

  it('a public (non-RFC 1918) VPC range is refused', () => {
    const root = workspace({ alpha: spec('alpha', { network: { vpcCidr: '8.8.0.0/16' } }) });
    expect(problems(() => loadFleet(root)).join('\n')).toContain(
      'alpha network.vpcCidr: 8.8.0.0/16 is not a private (RFC 1918) range — fix: a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
    );
    for (const ok of ['10.9.0.0/16', '172.31.0.0/16', '192.168.0.0/20']) {
      expect(
        problems(() => loadFleet(workspace({ alpha: spec('alpha', { network: { vpcCidr: ok } }) }))),
        ok,
      ).toEqual([]);
    }
    expect(problems(() => loadFleet(workspace({ alpha: spec('alpha', { network: { vpcCidr: '172.32.0.0/16' } }) }))).join('\n')).toContain(
      'is not a private (RFC 1918) range',
    );
  });

  it('an instance type, database class or node type AWS does not have is refused with the nearest valid one', () => {
    const root = workspace({
      alpha: spec('alpha', {
        app: { amiId: 'ami-0123456789abcdef0', instanceType: 't9.superhuge' },
        database: { instanceClass: 'db.r6g.superhuge' },
        cache: { nodeType: 'cache.r9g.large' },
      }),
    });
    const found = problems(() => loadFleet(root)).join('\n');
    expect(found).toContain(
      'alpha app.instanceType: "t9.superhuge" is not an EC2 instance type hafleet knows (list of 2026-12-01) — fix: e.g. "t3.large" (the nearest)',
    );
    expect(found).toContain(
      'alpha database.instanceClass: "db.r6g.superhuge" is not an RDS DB instance class hafleet knows ' +
        '(list of 2026-12-01) — fix: e.g. "db.r6g.large" (the nearest)',
    );
    expect(found).toContain(
      'alpha cache.nodeType: "cache.r9g.large" is not an ElastiCache node type hafleet knows (list of 2026-12-01) — fix: e.g. "cache.r6g.large" (the nearest)',
    );
  });

  it('every type the sizing model picks is in the catalogue', () => {
    for (const band of SIZING_BANDS) {
      expect(EC2_INSTANCE_TYPES).toContain(band.webInstanceType);
      expect(EC2_INSTANCE_TYPES).toContain(band.workerInstanceType);
      expect(RDS_INSTANCE_CLASSES).toContain(band.databaseInstanceClass);
      expect(CACHE_NODE_TYPES).toContain(band.cacheNodeType);
    }
    expect(catalogueProblem('ec2', 'm7i.48xlarge')).toBeUndefined();
  });

  it('one broken tenant does not hide the others from a fleet report', () => {
    const root = workspace({ alpha: spec('alpha'), beta: '{ "name": "beta" ' });
    const { tenants, problems: found } = inspectFleet(root);
    expect(tenants.map((t) => t.spec.name)).toEqual(['alpha']);
    expect(found.map((p) => p.tenant)).toEqual(['beta']);
  });
});
