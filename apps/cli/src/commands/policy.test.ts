import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSpecFiles } from '@hafleet/tenant-spec';
import { tempWorkspace, WORKSPACE_ROOT, type TempWorkspace } from '@hafleet/testing';

/**
 * `fleet policy`, and the guardrails inside `fleet synth`, through the real CLI in a child process.
 * The broken tenant is made the way a real regression would be: the copy's shared modules are
 * edited to drop two guarantees, and the copy's own CLI runs them.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI of `cliRoot` (the real workspace, or a copy whose sources were edited) against `workspace`. */
function fleet(workspace: TempWorkspace, cliRoot: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(cliRoot, 'apps/cli/src/main.ts'), ...args], {
    cwd: cliRoot,
    env: { ...process.env, HAFLEET_WORKSPACE: workspace.root },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const EXAMPLES = tenantSpecFiles(WORKSPACE_ROOT).map((file) => file.split('/').at(-2)!);

describe('fleet policy on the example fleet', () => {
  let workspace: TempWorkspace;
  beforeAll(() => {
    workspace = tempWorkspace();
  });
  afterAll(() => workspace.dispose());

  it('passes every tenant, as JSON with every outcome, and writes nothing', () => {
    const { code, stdout } = fleet(workspace, WORKSPACE_ROOT, 'policy', '--json');
    expect(code).toBe(0);
    const reports = JSON.parse(stdout) as Array<{
      tenant: string;
      summary: { errors: number; checks: number; passed: number };
      outcomes: Array<{ result: string }>;
    }>;
    expect(reports.map((r) => r.tenant)).toEqual(EXAMPLES);
    for (const report of reports) {
      expect(report.summary.errors).toBe(0);
      expect(report.summary.passed).toBe(report.summary.checks);
      expect(report.outcomes.every((o) => o.result === 'pass')).toBe(true);
    }
    expect(existsSync(join(workspace.root, 'cdktf.out'))).toBe(false);
  });

  it('prints a table per tenant (rule, resource, result) and a summary', () => {
    const [tenant] = EXAMPLES;
    const { code, stdout } = fleet(workspace, WORKSPACE_ROOT, 'policy', tenant!);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^rule +resource +result$/m);
    expect(stdout).toMatch(/^HAF-ENC-001 +(?:database\/\S+|\d+ resources) +pass$/m);
    expect(stdout).toMatch(/^HAF-ISO-001 +\d+ resources +pass$/m);
    expect(stdout).toMatch(new RegExp(`^${tenant} +\\d+ +\\d+ +\\d+ +0 +0 +0 +pass$`, 'm'));
  });

  it("shows every WAF exemption with its source, the spec's own beside the profile's, in the table and the JSON", () => {
    // A copy of the first example that adds its own paths (the workspace is this test's own copy).
    const [tenant] = EXAMPLES;
    const file = join(workspace.root, 'tenants', tenant!, 'tenant.json');
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...spec, edge: { ...spec.edge, largeBodyPaths: ['/local/lrs/'], countModePaths: ['/local/lrs/'] } }),
    );
    const table = fleet(workspace, WORKSPACE_ROOT, 'policy', tenant!);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^web ACL +override +path +source +rules$/m);
    expect(table.stdout).toMatch(/^alb +count body rules +\/local\/lrs\/ +spec +CrossSiteScripting_BODY .*SQLi_BODY/m);
    expect(table.stdout).toMatch(/^alb +allow large bodies +\/local\/lrs\/ +spec +SizeRestrictions_BODY$/m);
    expect(table.stdout).toMatch(/^alb +allow large bodies +\/repository\/ +profile +SizeRestrictions_BODY$/m);

    const json = fleet(workspace, WORKSPACE_ROOT, 'policy', tenant!, '--json');
    const [report] = JSON.parse(json.stdout) as Array<{
      wafOverrides: Array<{ webAcls: string[]; override: string; path: string; source: string }>;
    }>;
    expect(report!.wafOverrides).toContainEqual(
      expect.objectContaining({ webAcls: ['alb'], override: 'count body rules', path: '/local/lrs/', source: 'spec' }),
    );
    expect(report!.wafOverrides.filter((o) => o.source === 'spec')).toHaveLength(2);
    writeFileSync(file, JSON.stringify(spec));
  });
});

describe('a deliberately broken tenant', () => {
  const TENANT = 'broken-campus';
  let workspace: TempWorkspace;
  const specFile = () => join(workspace.root, 'tenants', TENANT, 'tenant.json');
  const editSpec = (edit: (spec: Record<string, any>) => void) => {
    const spec = JSON.parse(readFileSync(specFile(), 'utf8'));
    edit(spec);
    writeFileSync(specFile(), JSON.stringify(spec));
  };
  /** Replaces `from` in a source file of the copy, failing loudly if the source moved on. */
  const breakSource = (file: string, from: string, to: string) => {
    const path = join(workspace.root, file);
    const text = readFileSync(path, 'utf8');
    expect(text.split(from).length - 1, `${file} holds "${from}" once`).toBe(1);
    writeFileSync(path, text.replace(from, to));
  };

  beforeAll(() => {
    workspace = tempWorkspace();
    // An RDS tenant built from the first example's spec, so its database is `database/instance`.
    const base = JSON.parse(readFileSync(tenantSpecFiles(workspace.root)[0]!, 'utf8'));
    mkdirSync(join(workspace.root, 'tenants', TENANT));
    writeFileSync(
      specFile(),
      JSON.stringify({
        ...base,
        name: TENANT,
        domain: 'learn.broken-campus.test',
        network: { vpcCidr: '10.252.0.0/16' },
        database: { engine: 'mysql' },
      }),
    );
    // The regression: a shared-module change that drops deletion protection and IMDSv2.
    breakSource('libs/ha-modules/src/database/database.ts', 'deletionProtection: true,', 'deletionProtection: false,');
    breakSource('libs/ha-modules/src/compute/hardened-launch-template.ts', "httpTokens: 'required'", "httpTokens: 'optional'");
  });
  afterAll(() => workspace.dispose());

  it('fails synth naming tenant, rule, resource and fix, and writes nothing', () => {
    const { code, stderr } = fleet(workspace, workspace.root, 'synth', TENANT);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /tenant broken-campus: HAF-PROT-001 \(error\) on database\/instance \(aws_db_instance\.\S+\): deletion_protection is false — fix: set deletion_protection = true/,
    );
    expect(stderr).toMatch(
      /tenant broken-campus: HAF-EC2-001 \(error\) on web\/instances\/launch-template \(aws_launch_template\.\S+\): metadata_options\.http_tokens is "optional".* — fix: set metadata_options \{ http_tokens = "required"/,
    );
    expect(stderr).toContain('nothing was written');
    expect(existsSync(join(workspace.root, 'cdktf.out', 'stacks', TENANT))).toBe(false);
  });

  it('shows exactly the expected findings in fleet policy, exit 1', () => {
    const { code, stdout } = fleet(workspace, workspace.root, 'policy', TENANT, '--json');
    expect(code).toBe(1);
    const [report] = JSON.parse(stdout) as Array<{ outcomes: Array<{ rule: string; path: string; result: string }> }>;
    const failed = report!.outcomes.filter((o) => o.result !== 'pass').map((o) => `${o.rule} ${o.path} ${o.result}`);
    expect(failed.sort()).toEqual([
      'HAF-EC2-001 db-provisioner/instances/launch-template fail',
      'HAF-EC2-001 web/instances/launch-template fail',
      'HAF-EC2-001 worker/instances/launch-template fail',
      'HAF-PROT-001 database/instance fail',
    ]);
  });

  it('lists a suppressed finding with its reason, and still fails on the rest', () => {
    editSpec((spec) => {
      spec.guardrails = { suppressions: [{ rule: 'HAF-PROT-001', resource: 'database/instance', reason: 'restore drill until Friday' }] };
    });
    const { code, stdout } = fleet(workspace, workspace.root, 'policy', TENANT);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^HAF-PROT-001 +database\/instance +suppressed \(restore drill until Friday\)$/m);
    expect(stdout).toMatch(/^HAF-EC2-001 +web\/instances\/launch-template +FAIL$/m);
    expect(stdout).toMatch(new RegExp(`^${TENANT} +\\d+ +\\d+ +\\d+ +3 +0 +1 +FAIL$`, 'm'));
  });

  it.each([
    [
      'an unknown rule id',
      { rule: 'HAF-XYZ-001', resource: 'database/instance', reason: 'why not' },
      /tenants\/broken-campus\/tenant\.json: tenant broken-campus, field guardrails\.suppressions\.0\.rule: "HAF-XYZ-001" is not a guardrails rule — fix: use one of the \d+ ids/,
    ],
    [
      'an empty reason',
      { rule: 'HAF-PROT-001', resource: 'database/instance', reason: '  ' },
      /tenant broken-campus, field guardrails\.suppressions\.0\.reason: must not be empty — fix: say why this exception is safe/,
    ],
  ])('refuses a suppression with %s: exit 2, nothing written', (_label, suppression, message) => {
    editSpec((spec) => {
      spec.guardrails = { suppressions: [suppression] };
    });
    const { code, stderr } = fleet(workspace, workspace.root, 'synth', TENANT);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(existsSync(join(workspace.root, 'cdktf.out', 'stacks', TENANT))).toBe(false);
  });
});
