import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '@hafleet/entry-point';
import { STACK_FILE, stackDir } from '@hafleet/tenant-spec';
import { WORKSPACE_ROOT, tempWorkspace, type TempWorkspace } from '@hafleet/testing';

/** The cdktf app (`cdktf.json` runs it) in a child process: the fleet's exit codes, a message without a stack trace. */
describe('cdktf app', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace({ tenants: ['harbour-health'] });
  });
  afterAll(() => workspace.dispose());

  const app = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(WORKSPACE_ROOT, 'apps/cdktf-app/src/main.ts'), ...args], {
      cwd: workspace.root,
      env: { ...process.env, HAFLEET_WORKSPACE: workspace.root, CDKTF_OUTDIR: join(workspace.root, 'out') },
      encoding: 'utf8',
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('synthesises the named tenant into CDKTF_OUTDIR', () => {
    const { code, stdout, stderr } = app('harbour-health');
    expect(code, stderr).toBe(EXIT.ok);
    expect(stdout).toContain('synthesized 1 tenant stack(s): harbour-health');
    expect(existsSync(join(stackDir(join(workspace.root, 'out'), 'harbour-health'), STACK_FILE))).toBe(true);
  });

  it('exits 2 on a bad spec, as the fleet CLI does, with the message and no stack trace', () => {
    writeFileSync(join(workspace.root, 'tenants/harbour-health/tenant.json'), '{ "name": "harbour-health", ');
    const { code, stderr } = app();
    expect(code).toBe(EXIT.usage);
    expect(stderr).toContain('tenant harbour-health: is not valid JSON');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
