import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatorSchema } from '@hafleet/onboarding';
import { runNx, tempWorkspace, type TempWorkspace } from '@hafleet/testing';

const TENANT = 'sydney-college';
/** Flags only, as in CI: Nx has no terminal to prompt in. */
const ANSWERS: Record<string, string> = {
  'display-name': 'Sydney College',
  region: 'ap-southeast-2',
  'concurrent-users': '800',
  population: '40000',
  'database-engine': 'aurora-postgresql',
  domain: 'learn.sydney-college.edu.au',
  'certificate-arn': 'arn:aws:acm:ap-southeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  'alert-emails': 'lms-oncall@sydney-college.edu.au,hosting-ops@example.com',
  ring: 'early',
};
const flags = (answers: Record<string, string>) => Object.entries(answers).flatMap(([flag, value]) => [`--${flag}`, value]);
const FLAGS = flags(ANSWERS);

/** Every file of the parts of a workspace a generator could touch (Nx's own .nx cache aside). */
function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const top of ['tenants', 'apps', 'libs', 'fleet.json', 'nx.json', 'package.json', 'tsconfig.base.json']) {
    const path = join(root, top);
    if (top.includes('.')) {
      out[top] = readFileSync(path, 'utf8');
      continue;
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        out[join(entry.parentPath, entry.name).slice(root.length + 1)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    }
  }
  return out;
}

/** Saved plan summaries, wherever the plan step keeps them, for one tenant. */
function planSummaries(
  root: string,
  tenant: string,
): Array<{ summary: { add: number; change: number; destroy: number; replace: number } }> {
  return readdirSync(join(root, '.hafleet'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'plan-summary.json')
    .map((entry) => JSON.parse(readFileSync(join(entry.parentPath, entry.name), 'utf8')))
    .filter((record) => record.tenant === tenant && record.summary);
}

describe('tenant generator options', () => {
  it('are the onboarding questions (regenerate with `npm run fleet -- schema`)', () => {
    expect(readFileSync(join(import.meta.dirname, 'schema.json'), 'utf8')).toBe(generatorSchema());
  });
});

describe(`nx g @hafleet/nx-plugin:tenant, then nx run ${TENANT}:plan (real Nx, real terraform and AWS provider, offline)`, () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    // One existing tenant, so the new one must get a range of its own.
    workspace = tempWorkspace({ tenants: ['harbour-health'] });
  });
  afterAll(() => workspace.dispose());

  it('writes nothing on --dry-run or on a bad answer', () => {
    const before = files(workspace.root);
    const dry = runNx(workspace, 'g', '@hafleet/nx-plugin:tenant', TENANT, ...FLAGS, '--dry-run');
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain('size: medium band for 800 concurrent users of 40,000');
    expect(dry.output).toContain(`writes tenants/${TENANT}/tenant.json (not with --dry-run)`);

    // A switch without a value, and a key file read where the command runs (the workspace root here).
    const edge = runNx(
      workspace,
      'g',
      '@hafleet/nx-plugin:tenant',
      TENANT,
      ...FLAGS,
      '--cdn-certificate-arn',
      'arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      '--shield-advanced',
      '--signed-content-paths',
      '/content/private/*',
      '--signed-content-public-keys',
      'libs/onboarding/examples/northwind-signing-2026.pub.pem',
      '--dry-run',
    );
    expect(edge.code, edge.output).toBe(0);
    expect(edge.output).toContain('signed content: /content/private/* served only with a URL or cookie signed by northwind-signing-2026');
    expect(edge.output).toContain("Shield Advanced: on the load balancer and the distribution; the tenant's account must subscribe");

    const bad = runNx(workspace, 'g', '@hafleet/nx-plugin:tenant', TENANT, ...flags({ ...ANSWERS, 'alert-emails': 'oncall at sydney' }));
    expect(bad.code, bad.output).toBe(2); // the same exit code as `fleet onboard` (issue 13.7)
    expect(bad.output).toContain(
      `tenants/${TENANT}/tenant.json: tenant ${TENANT}, field alerts.emails.0 (--alert-emails): must be an email address`,
    );

    const missing = runNx(workspace, 'g', '@hafleet/nx-plugin:tenant', TENANT, '--region', 'ap-southeast-2');
    expect(missing.code, missing.output).toBe(2);
    expect(missing.output).toContain('field displayName (--display-name): is required — fix: --display-name "Northwind University"');
    expect(files(workspace.root)).toEqual(before);
  });

  it('onboards with flags, writes only tenant.json, and the tenant is an Nx project at once', () => {
    const before = files(workspace.root);
    const generated = runNx(workspace, 'g', '@hafleet/nx-plugin:tenant', TENANT, ...FLAGS);
    expect(generated.code, generated.output).toBe(0);
    const after = files(workspace.root);
    expect(Object.keys(after).filter((file) => !(file in before))).toEqual([`tenants/${TENANT}/tenant.json`]);
    expect(Object.entries(before).filter(([file, content]) => after[file] !== content)).toEqual([]);
    const spec = JSON.parse(after[`tenants/${TENANT}/tenant.json`]!);
    expect(spec).toMatchObject({ name: TENANT, expectedLoad: { concurrentUsers: 800, population: 40_000 }, rollout: { ring: 'early' } });
    // The pool's first /16 that overlaps no tenant (harbour-health keeps its own range).
    const harbour = JSON.parse(after['tenants/harbour-health/tenant.json']!).network.vpcCidr as string;
    expect(spec.network.vpcCidr).toMatch(/^10\.\d+\.0\.0\/16$/);
    expect(spec.network.vpcCidr.split('.')[1]).not.toBe(harbour.split('.')[1]);

    const shown = runNx(workspace, 'show', 'project', TENANT, '--json');
    expect(shown.code, shown.output).toBe(0);
    const project = JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{')));
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['synth', 'validate', 'plan']));
    expect(project.tags).toEqual(expect.arrayContaining(['type:tenant', 'region:ap-southeast-2']));
  });

  it('plans the new tenant offline with the real provider: every resource to create, nothing else', () => {
    const planned = runNx(workspace, 'run', `${TENANT}:plan`);
    expect(planned.code, planned.output).toBe(0);
    const [record] = planSummaries(workspace.root, TENANT);
    expect(record, 'a plan-summary.json for the tenant').toBeDefined();
    expect(record!.summary.add).toBeGreaterThan(100);
    expect(record!.summary).toMatchObject({ change: 0, destroy: 0, replace: 0 });
  });
});
