import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/** The workspace's `fleet` bin, as the README runs it: `npx fleet …` in a child process (issue 13.5). */
describe('npx fleet', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health', 'northwind-university'] });
  });
  afterAll(() => workspace.dispose());

  const npx = (...args: string[]) => {
    const env = { ...process.env };
    delete env['HAFLEET_WORKSPACE']; // the bin finds its own workspace
    const r = spawnSync('npx', ['fleet', ...args], { cwd: workspace.root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('--json prints only JSON on stdout (pipes into jq), notes on stderr', () => {
    const outputs = [
      ['size', '--json'],
      ['synth', 'harbour-health', '--json'],
      ['show', '--json'],
    ].map((args) => {
      const { code, stdout, stderr } = npx(...args);
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(0);
      expect(() => JSON.parse(stdout), `${args.join(' ')} stdout:\n${stdout}`).not.toThrow();
      return JSON.parse(stdout) as Array<{ tenant: string }>;
    });
    expect(outputs[0]!.map((t) => t.tenant)).toEqual(['harbour-health', 'northwind-university']);
    expect(outputs[1]).toEqual([
      {
        tenant: 'harbour-health',
        changed: true,
        file: 'cdktf.out/stacks/harbour-health/cdk.tf.json',
        guardrails: expect.objectContaining({ tenant: 'harbour-health', errors: 0 }),
      },
    ]);
  });

  it('exits 2 on bad input with the message on stderr and nothing on stdout', () => {
    const { code, stdout, stderr } = npx('plan', 'nobody', '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('tenant nobody: no such tenant — fix: one of harbour-health, northwind-university');
  });
});
