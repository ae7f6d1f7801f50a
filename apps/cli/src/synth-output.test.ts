import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFleet, tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import { nameList, progressLine } from './output.js';

describe('fleet synth output stays readable at any fleet size', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace();
  });
  afterAll(() => workspace.dispose());

  it('counts stacks, names only the changed ones, and --json gives every tenant with changed and guardrail counts', () => {
    const first = runFleet(workspace, 'synth', '--json');
    expect(first.code, first.output).toBe(0);
    const items = JSON.parse(first.stdout) as Array<{
      tenant: string;
      changed: boolean;
      file: string;
      guardrails: { passed: number; errors: number };
    }>;
    expect(items.map((i) => [i.tenant, i.changed])).toEqual([
      ['harbour-health', true],
      ['lakeside-state', true],
      ['northwind-university', true],
    ]);
    expect(items[0]).toMatchObject({ file: 'cdktf.out/stacks/harbour-health/cdk.tf.json', guardrails: { errors: 0 } });
    // Without a terminal, progress is a count line per 10 % on stderr, never a name per tenant on stdout.
    expect(first.stderr).toContain('synth: 3/3');

    const specFile = join(workspace.root, 'tenants/lakeside-state/tenant.json');
    const spec = JSON.parse(readFileSync(specFile, 'utf8'));
    writeFileSync(
      specFile,
      JSON.stringify({ ...spec, alerts: { ...spec.alerts, emails: [...spec.alerts.emails, 'night-shift@example.org'] } }),
    );
    const second = runFleet(workspace, 'synth');
    expect(second.code, second.output).toBe(0);
    expect(second.stdout).toContain('synthesized 3 stack(s): 1 changed (lakeside-state), 2 unchanged');
  });

  it('lists at most 20 names, then how many more', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `tenant-${i}`);
    expect(nameList(names)).toBe(`${names.slice(0, 20).join(', ')} … and 980 more`);
    expect(nameList(['a', 'b'])).toBe('a, b');
  });

  it('prints progress at every tenth, not for every tenant, when stderr is no terminal', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
    const progress = progressLine('synth', stream);
    for (let done = 1; done <= 1000; done++) progress.update(`tenant-${done}`, done, 1000);
    progress.end();
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toMatch(/^synth: 1000\/1000 \(\d+ s\)\n$/);
  });
});
