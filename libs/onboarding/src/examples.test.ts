import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleet } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT } from '@hafleet/testing';
import { EXAMPLE_ONBOARDINGS } from './examples.js';
import { onboardTenant } from './onboard.js';
import { answersFromFlags } from './questions.js';

/** The example tenants are exactly what `fleet onboard` makes from their answers: onboard each again, beside the others. */
describe.each(EXAMPLE_ONBOARDINGS.map((flags) => [flags['name']!, flags] as const))('example tenant %s', (name, flags) => {
  it('is byte for byte what onboarding writes from its answers', () => {
    const root = mkdtempSync(join(tmpdir(), 'hafleet-examples-'));
    try {
      cpSync(join(WORKSPACE_ROOT, 'fleet.json'), join(root, 'fleet.json'));
      for (const other of EXAMPLE_ONBOARDINGS.filter((e) => e['name'] !== name)) {
        mkdirSync(join(root, 'tenants', other['name']!), { recursive: true });
        cpSync(join(WORKSPACE_ROOT, 'tenants', other['name']!, 'tenant.json'), join(root, 'tenants', other['name']!, 'tenant.json'));
      }
      const plan = onboardTenant(root, answersFromFlags(flags), { dryRun: true, cwd: WORKSPACE_ROOT });
      expect(plan.text).toBe(readFileSync(join(WORKSPACE_ROOT, 'tenants', name, 'tenant.json'), 'utf8'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('example fleet', () => {
  it('spans at least two regions and three clearly different sizes', () => {
    const specs = loadFleet(WORKSPACE_ROOT).map((t) => t.spec);
    expect(specs.map((s) => s.name)).toEqual(EXAMPLE_ONBOARDINGS.map((e) => e['name']).sort());
    expect(new Set(specs.map((s) => s.region)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(specs.map((s) => s.sizing.band.name))).toEqual(new Set(['small', 'medium', 'large']));
  });
});
