import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_FILES } from './json-schema.js';
import { loadFleet } from './load.js';
import { SpecValidationError } from './problems.js';

function workspaceWith(specs: Record<string, object | string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hafleet-fleet-'));
  for (const [folder, spec] of Object.entries(specs)) {
    mkdirSync(join(root, 'tenants', folder), { recursive: true });
    writeFileSync(join(root, 'tenants', folder, 'tenant.json'), typeof spec === 'string' ? spec : JSON.stringify(spec));
  }
  return root;
}

const spec = (name: string, vpcCidr: string, domain = `${name}.example.org`) => ({
  name,
  displayName: name,
  region: 'eu-west-1',
  domain,
  expectedLoad: { concurrentUsers: 100, population: 2_000 },
  alerts: { emails: ['ops@example.org'] },
  network: { vpcCidr },
  app: { amiId: 'ami-0123456789abcdef0' },
  edge: { certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
});

function fleetProblems(root: string, only?: string[]): string[] {
  try {
    loadFleet(root, { only });
    return [];
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    return error.problems.map((p) => `${p.tenant} ${p.field}: ${p.message}`);
  }
}

describe('loadFleet', () => {
  it('loads every tenant sorted by name', () => {
    const root = workspaceWith({ beta: spec('beta', '10.2.0.0/16'), alpha: spec('alpha', '10.1.0.0/16') });
    expect(loadFleet(root).map((t) => t.spec.name)).toEqual(['alpha', 'beta']);
  });

  it('rejects a copied folder that kept the original name', () => {
    const root = workspaceWith({ alpha: spec('alpha', '10.1.0.0/16'), gamma: spec('alpha', '10.1.0.0/16') });
    expect(fleetProblems(root)).toEqual([
      'alpha name: "alpha" is already the name of tenants/alpha/tenant.json — fix: set name to "gamma" (each tenant needs its own name)',
    ]);
  });

  it('rejects a name that differs from its folder', () => {
    const root = workspaceWith({ alpha: spec('alphas', '10.1.0.0/16') });
    expect(fleetProblems(root)).toEqual([
      'alphas name: "alphas" differs from its folder "alpha" — fix: rename the folder to alphas or set name to "alpha"',
    ]);
  });

  it('rejects overlapping VPC ranges and blames both tenants', () => {
    const root = workspaceWith({ alpha: spec('alpha', '10.1.0.0/16'), beta: spec('beta', '10.1.128.0/20') });
    expect(fleetProblems(root)).toEqual([
      "alpha network.vpcCidr: 10.1.0.0/16 overlaps beta's 10.1.128.0/20 — fix: give each tenant a range of its own",
      "beta network.vpcCidr: 10.1.128.0/20 overlaps alpha's 10.1.0.0/16 — fix: give each tenant a range of its own",
    ]);
  });

  it("rejects a dedicated account another tenant lives in, named or by the fleet's default", () => {
    const own = (name: string, cidr: string, account: object) => ({ ...spec(name, cidr), account });
    const named = workspaceWith({
      alpha: own('alpha', '10.1.0.0/16', { id: '444455556666', dedicated: true }),
      beta: own('beta', '10.2.0.0/16', { id: '444455556666' }),
    });
    expect(fleetProblems(named)).toEqual([
      'alpha account.dedicated: is true, but account 444455556666 also holds beta — fix: remove dedicated ' +
        '(account-wide settings then stay with the fleet operator), or move the other tenants out',
    ]);
    const byDefault = workspaceWith({
      alpha: own('alpha', '10.1.0.0/16', { id: '111122223333', dedicated: true }),
      beta: spec('beta', '10.2.0.0/16'),
    });
    writeFileSync(join(byDefault, 'fleet.json'), readFileSync(join(import.meta.dirname, '../../../fleet.json')));
    expect(fleetProblems(byDefault)).toEqual([
      expect.stringMatching(/^alpha account\.dedicated: is true, but account 111122223333 also holds beta/),
    ]);
    const alone = workspaceWith({
      alpha: own('alpha', '10.1.0.0/16', { id: '444455556666', dedicated: true }),
      beta: spec('beta', '10.2.0.0/16'),
    });
    expect(fleetProblems(alone)).toEqual([]);
  });

  it('rejects a domain used twice', () => {
    const root = workspaceWith({
      alpha: spec('alpha', '10.1.0.0/16', 'learn.example.org'),
      beta: spec('beta', '10.2.0.0/16', 'learn.example.org'),
    });
    expect(fleetProblems(root)).toEqual([
      'alpha domain: learn.example.org is also the domain of beta — fix: give each tenant its own hostname',
      'beta domain: learn.example.org is also the domain of alpha — fix: give each tenant its own hostname',
    ]);
  });

  it('checks only the selected tenants, but against everyone', () => {
    const root = workspaceWith({ alpha: spec('alpha', '10.1.0.0/16'), broken: '{', beta: spec('beta', '10.2.0.0/16') });
    expect(loadFleet(root, { only: ['alpha'] }).map((t) => t.spec.name)).toEqual(['alpha']);
    expect(fleetProblems(root)).toHaveLength(1);
    expect(fleetProblems(root, ['nobody'])).toEqual(['nobody : no such tenant — fix: one of alpha, beta, broken']);
  });
});

describe('generated JSON Schemas', () => {
  it.each(Object.entries(JSON_SCHEMA_FILES))(
    '%s is committed and current (regenerate with `npm run fleet -- schema`)',
    (file, generate) => {
      const committed = readFileSync(join(import.meta.dirname, '..', file), 'utf8');
      expect(committed).toBe(generate());
    },
  );
});
