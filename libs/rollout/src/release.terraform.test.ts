import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_FILE, fleetContext, planTenant, tenantRunner, type FleetContext } from '@hafleet/fleet';
import { tenantWorkDir } from '@hafleet/tenant-spec';
import {
  fabricateAppliedState,
  resolveProviderMirror,
  summarisePlan,
  writeFabricatedState,
  type PlanJson,
  type PlanSummary,
  type ProviderSchemas,
  type TerraformStateV4,
} from '@hafleet/terraform';
import { tempWorkspace, type TempWorkspace } from '@hafleet/testing';
import type { RolloutRequest } from './journal.js';
import { dryRunRollout, planRollout, type DryRunTenant } from './rollout-plan.js';
import { specFile } from './workspace-copy.js';
import { WorkspaceDriver } from './workspace-driver.js';

/**
 * A release-only rollout on a real example tenant's full AWS stack, with the real terraform and
 * AWS provider, offline. Offline there is no apply, so the tenant's "live" state is fabricated
 * from its own plan (fabricateAppliedState: the plan's values, placeholders for what only AWS
 * would know); every plan after that is a real plan against that state, not against nothing.
 * Three plans: the stack as it is (from empty), the stack unchanged (against the fabricated
 * state), and `fleet rollout --set app.release=… --dry-run` (against the state after that plan).
 */

const TENANT = 'harbour-health';
const NEXT_RELEASE = '2099.1.0';
const describeWithTerraform = describe.skipIf(resolveProviderMirror() === undefined);

interface Change {
  address: string;
  type: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown: Record<string, unknown>;
  };
}

const changesOf = (plan: PlanJson) => (plan.resource_changes ?? []) as unknown as Change[];
const changed = (summary: PlanSummary) => summary.changes.map((c) => `${c.action} ${c.address}`).sort();
const byType = (plan: PlanJson, type: string) => changesOf(plan).filter((c) => c.type === type);
/** The one resource of `type` whose address names `part` (web, worker). */
function one(plan: PlanJson, type: string, part: string): Change {
  const found = byType(plan, type).filter((c) => c.address.includes(part));
  expect(
    found.map((c) => c.address),
    `${type} named ${part}`,
  ).toHaveLength(1);
  return found[0]!;
}
const releaseTags = (value: Record<string, unknown> | null) =>
  ((value?.['tag_specifications'] ?? []) as { tags?: Record<string, string> }[]).map((spec) => spec.tags?.['release']);

function request(changes: RolloutRequest['changes']): RolloutRequest {
  return {
    changes,
    reapply: false,
    selection: { tenants: [TENANT], tags: [], where: [] },
    waves: '100%',
    maxParallel: 1,
    waveDelayMs: 0,
    maxFailures: 1,
    allowDestroy: [],
    gates: [{ kind: 'none' }],
    applyImmediately: false,
  };
}

describeWithTerraform(`a release-only rollout of example tenant ${TENANT} (real terraform, fabricated prior state)`, () => {
  let workspace: TempWorkspace;
  let ctx: FleetContext;
  let schemas: ProviderSchemas;
  let statePath: string;
  let fabricated: TerraformStateV4;
  let release: string;

  beforeAll(async () => {
    workspace = tempWorkspace({ tenants: [TENANT] });
    ctx = fleetContext(workspace.root);
    statePath = join(tenantWorkDir(workspace.root, TENANT), 'terraform.tfstate');
    release = (JSON.parse(readFileSync(specFile(workspace.root, TENANT), 'utf8')) as { app: { release: string } }).app.release;
    const driver = new WorkspaceDriver({ workspaceRoot: workspace.root });
    await driver.synth(TENANT);
    // Plan 1, from an empty state: everything is created. Its state, as if applied, is fabricated.
    const created = await planTenant(ctx, TENANT);
    expect(created.summary).toMatchObject({ change: 0, destroy: 0 });
    const runner = tenantRunner(ctx, TENANT);
    schemas = await runner.providerSchemas();
    fabricated = fabricateAppliedState(await runner.showJson(created.planFile), schemas);
    expect(fabricated.resources.length).toBeGreaterThan(50);
    writeFabricatedState(statePath, fabricated);
  }, 900_000);
  afterAll(() => workspace?.dispose());

  it('the unchanged stack against its fabricated state: the launch templates and groups do not change, nothing is replaced', async () => {
    const plan = await planTenant(ctx, TENANT); // offline stack: -refresh=false, the fabricated state as recorded
    const json = await tenantRunner(ctx, TENANT).showJson(plan.planFile);
    for (const type of ['aws_launch_template', 'aws_autoscaling_group']) {
      expect(byType(json, type).length, type).toBeGreaterThanOrEqual(2);
      expect(
        byType(json, type).map((c) => [c.address, c.change.actions]),
        type,
      ).toEqual(byType(json, type).map((c) => [c.address, ['no-op']]));
    }
    expect(plan.summary).toMatchObject({ dataLoss: [] });
    // What still differs: values the configuration computes from several references or functions
    // (jsonencode'd policies, maps of alarm dimensions, secret strings), which the fabrication can
    // only fill with placeholders; the two secret versions are replaced because their secret string
    // forces a new version. Applying this plan on top (below) sets them; nothing holds data.
    expect(changed(plan.summary)).toEqual(FABRICATION_PLACEHOLDER_CHANGES);
    fabricated = fabricateAppliedState(json, schemas, { prior: fabricated });
    writeFabricatedState(statePath, fabricated);
  }, 900_000);

  it(`fleet rollout --set app.release=${NEXT_RELEASE} --dry-run updates both launch templates in place and starts the web instance refresh`, async () => {
    const planned = planRollout(workspace.root, request([{ path: 'app.release', value: NEXT_RELEASE }]));
    const sandbox = new WorkspaceDriver({ workspaceRoot: workspace.root }).sandbox();
    let result: DryRunTenant[];
    let json: PlanJson;
    try {
      result = await dryRunRollout(planned, sandbox);
      // The dry run's own saved plan, read before its sandbox goes.
      json = await tenantRunner(fleetContext(sandbox.root), TENANT).showJson(join(tenantWorkDir(sandbox.root, TENANT), PLAN_FILE));
    } finally {
      sandbox.dispose();
    }
    expect(result).toEqual([expect.objectContaining({ tenant: TENANT, specChanged: true, guard: expect.objectContaining({ ok: true }) })]);
    expect(result[0]!.plan).toMatchObject({ add: 0, destroy: 0, replace: 0, hasChanges: true, dataLoss: [] });
    expect(result[0]!.plan!.change).toBeGreaterThanOrEqual(3);

    // The web and worker launch templates: updated in place, the release tag on what they launch.
    for (const tier of ['web', 'worker']) {
      const template = one(json, 'aws_launch_template', tier);
      expect(template.change.actions, template.address).toEqual(['update']);
      expect(releaseTags(template.change.before)).toContain(release);
      expect(releaseTags(template.change.after)).toContain(NEXT_RELEASE);
      expect(template.change.after_unknown['latest_version'], 'a new template version').toBe(true);
    }

    // The web group: updated in place to the new template version, which is what starts the
    // rolling instance refresh its instance_refresh block describes (launch before terminate).
    const group = one(json, 'aws_autoscaling_group', 'web');
    expect(group.change.actions).toEqual(['update']);
    const before = (group.change.before!['launch_template'] as { version: string }[])[0]!;
    const unknown = (group.change.after_unknown['launch_template'] as { version?: boolean }[] | undefined)?.[0];
    expect(before.version).toBeTruthy();
    expect(unknown?.version, 'launch_template.version follows the new latest_version').toBe(true);
    const refresh = (
      group.change.after!['instance_refresh'] as { strategy: string; preferences: { max_healthy_percentage: number }[] }[]
    )[0];
    expect(refresh).toMatchObject({ strategy: 'Rolling' });
    expect(refresh!.preferences[0]!.max_healthy_percentage).toBeGreaterThan(100);

    // Nothing else: the change set is exactly what a release touches.
    const summary = summarisePlan(json);
    expect(summary).toMatchObject({ add: 0, destroy: 0, replace: 0, dataLoss: [], deletions: [], replacements: [] });
    expect(changed(summary)).toEqual(RELEASE_CHANGES);
    // The two secret versions show an update with no attribute change: the fabricated state does
    // not carry these two values' sensitivity marks exactly as terraform would after an apply.
    for (const secret of byType(json, 'aws_secretsmanager_secret_version')) {
      expect(secret.change.after, secret.address).toEqual(secret.change.before);
    }
    const parameter = one(json, 'aws_ssm_parameter', 'release');
    expect([parameter.change.before!['value'], parameter.change.after!['value']]).toEqual([release, NEXT_RELEASE]);
  }, 900_000);
});

/** The unchanged stack against the state fabricated from its create plan (see the test's comment). */
const FABRICATION_PLACEHOLDER_CHANGES = [
  // Its log_destination is `<log bucket ARN>/vpc-flow-logs`, a placeholder in the fabrication, and forces a new flow log.
  'replace aws_flow_log.network_flow-log_4CEF6CCF',
  'replace aws_secretsmanager_secret_version.cache-credentials_value_01089056',
  'replace aws_secretsmanager_secret_version.mail_smtp-credentials-value_A045B396',
  // Its resource_label joins the load balancer's and target group's ARN suffixes.
  'update aws_autoscaling_policy.web_request-target-tracking_9993C0A2',
  'update aws_cloudwatch_dashboard.observability_dashboard_FADF3BBC',
  'update aws_cloudwatch_metric_alarm.observability_alarm-alb-5xx-rate_B0BB6E9A',
  'update aws_cloudwatch_metric_alarm.observability_alarm-alb-response-time_E93A9833',
  'update aws_cloudwatch_metric_alarm.observability_alarm-alb-unhealthy-hosts_9F363268',
  'update aws_cloudwatch_metric_alarm.observability_alarm-deep-health-check_25296391',
  'update aws_cloudwatch_metric_alarm.observability_alarm-efs-io-limit_44976B83',
  'update aws_cloudwatch_metric_alarm.observability_alarm-nat-1-packets-dropped_3A543671',
  'update aws_cloudwatch_metric_alarm.observability_alarm-nat-1-port-allocation_5454BFC6',
  'update aws_efs_file_system_policy.user-data_policy_BE29AF48',
  'update aws_iam_role_policy.db-provisioner_instances_policy-provision-database_B4A1BCF8',
  'update aws_iam_role_policy.web_instances_policy-platform-access_CE5A55CD',
  'update aws_iam_role_policy.worker_instances_policy-platform-access_4B6103D6',
  'update aws_iam_user_policy.mail_smtp-send_182B7AAF',
  'update aws_s3_bucket_policy.content_policy_B96235D0',
  'update aws_sns_topic_policy.observability_topic-policy_8F67B5CF',
  'update aws_sns_topic_policy.observability_us-east-1_topic-policy_A27629AA',
];

/** A release-only change: the web and worker templates and groups, and the published release. */
const RELEASE_CHANGES = [
  'update aws_autoscaling_group.web_asg_B076D854',
  'update aws_autoscaling_group.worker_asg_577BE42B',
  'update aws_launch_template.web_instances_launch-template_2D30EAC2',
  'update aws_launch_template.worker_instances_launch-template_2324E8DC',
  'update aws_secretsmanager_secret_version.cache-credentials_value_01089056',
  'update aws_secretsmanager_secret_version.mail_smtp-credentials-value_A045B396',
  'update aws_ssm_parameter.runtime_app-release_0072F160',
];
