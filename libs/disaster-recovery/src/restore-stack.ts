import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { replaceDirAtomic } from '@hafleet/fs-safe';
import { SynthesizedStack, assertCompliant, evaluatePolicy, policyContext, type PolicyReport } from '@hafleet/guardrails';
import {
  STACK_FILE,
  SpecValidationError,
  loadFleetConfig,
  loadTenantSpec,
  parseTenantSpec,
  stackDir,
  type TenantSpec,
} from '@hafleet/tenant-spec';
import { TenantStack, type StackMode } from '@hafleet/tenant-stack';
import { App } from 'cdktf';
import { fleetContext, planStack, type StackLocation, type StepOptions, type TenantPlan } from '@hafleet/fleet';

/** Where restore stacks live: beside the tenants' work folders, never in `cdktf.out` (they are not fleet tenants). */
export const DR_WORK_DIR = join('.hafleet', 'dr');
/** Tenant names are at most 32 characters; the restore stack is `<name>-dr`, cut to fit. */
const NAME_MAX = 32;

/**
 * The restore stack's tenant name. Not the tenant's own: IAM roles and bucket names are global, so
 * a restore beside a stack that still exists (a drill, or a region that comes back) must not collide.
 */
export function restoreStackName(tenant: string): string {
  return `${tenant.slice(0, NAME_MAX - 3).replace(/-+$/, '')}-dr`;
}

export interface RestoreInput {
  readonly workspaceRoot: string;
  readonly tenant: string;
  /**
   * The database's recovery point in the DR vault: an RDS snapshot ARN
   * (`arn:aws:rds:<dr region>:<account>:snapshot:awsbackup:…`, `cluster-snapshot:` for Aurora).
   */
  readonly databaseRecoveryPointArn: string;
  /** ACM certificate for the tenant's domain in the DR region (the load balancer's). */
  readonly certificateArn: string;
  /** Default offline: placeholder credentials, local state, no AWS call. */
  readonly mode?: StackMode;
}

export interface RestoreStack {
  /** The tenant whose data is restored. */
  readonly source: TenantSpec;
  /** The restore stack's spec: the tenant's, in the DR region, named `restoreStackName`. */
  readonly spec: TenantSpec;
  /** Folder holding `cdk.tf.json`. */
  readonly dir: string;
  /** Its terraform work folder (data dir, plan, offline state). */
  readonly workDir: string;
  readonly stack: SynthesizedStack;
  readonly policy: PolicyReport;
}

const problem = (tenant: string, field: string, message: string) =>
  new SpecValidationError([{ tenant, file: `tenants/${tenant}/tenant.json`, field, message }]);

/**
 * The spec of the stack that takes a tenant over in its DR region: the tenant's own spec with the
 * region, zones (the region's defaults) and load balancer certificate of the DR region, no DR
 * region of its own, and its own name. Everything else (sizes, domain, CDN, alarms) is unchanged.
 */
export function restoreSpec(workspaceRoot: string, tenant: string, certificateArn: string): { source: TenantSpec; spec: TenantSpec } {
  const { spec: source, file } = loadTenantSpec(join(workspaceRoot, 'tenants', tenant, 'tenant.json'), workspaceRoot);
  const dr = source.disasterRecovery;
  if (!dr)
    throw problem(
      tenant,
      'disasterRecovery.region',
      'is not set: nothing is copied to another region — fix: set disasterRecovery.region (fleet onboard --dr-region) and apply before a restore can use it',
    );
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const name = restoreStackName(tenant);
  const text = JSON.stringify({
    ...raw,
    name,
    displayName: `${source.displayName} (DR restore)`,
    region: dr.region,
    availabilityZones: undefined,
    edge: { ...(raw['edge'] as Record<string, unknown> | undefined), certificateArn },
    disasterRecovery: undefined,
  });
  try {
    return { source, spec: parseTenantSpec(text, { file: `${relative(workspaceRoot, file)} (restored in ${dr.region})`, folder: name }) };
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    // The one value the operator gives is the certificate: blame its flag.
    throw new SpecValidationError(
      error.problems.map((p) => ({ ...p, tenant, field: p.field === 'edge.certificateArn' ? '--certificate-arn' : p.field })),
    );
  }
}

/** The recovery point must be a copy in the DR region, of this tenant's account, of the right kind of database. */
function checkRecoveryPoint(source: TenantSpec, accountId: string, arn: string): void {
  const dr = source.disasterRecovery!;
  const aurora = source.database.engine.startsWith('aurora');
  const kind = aurora ? 'cluster-snapshot' : 'snapshot';
  const match = /^arn:aws:rds:([a-z0-9-]+):(\d{12}):(cluster-snapshot|snapshot):([A-Za-z0-9:-]+)$/.exec(arn);
  const fix =
    `fix: copy the RecoveryPointArn of the ${aurora ? 'Aurora' : 'RDS'} recovery point listed by ` +
    `\`aws backup list-recovery-points-by-backup-vault --region ${dr.region}\``;
  if (!match)
    throw problem(
      source.name,
      '--database-recovery-point',
      `"${arn}" is not an RDS recovery point ARN (arn:aws:rds:<region>:<account>:${kind}:…) — ${fix}`,
    );
  const [, region, account, type] = match;
  if (region !== dr.region)
    throw problem(source.name, '--database-recovery-point', `is in ${region}; the tenant's copies are in ${dr.region} — ${fix}`);
  if (account !== accountId)
    throw problem(source.name, '--database-recovery-point', `is in account ${account}, not the tenant's ${accountId} — ${fix}`);
  if (type !== kind)
    throw problem(source.name, '--database-recovery-point', `is a ${type}, but ${source.database.engine} restores from a ${kind} — ${fix}`);
}

/**
 * Synthesises the restore stack into `<workspace>/.hafleet/dr/<name>-dr/stack` (atomically) and
 * runs the guardrails over it: the restored tenant is held to the same policy as the live one.
 */
export function synthesizeRestoreStack(input: RestoreInput): RestoreStack {
  const workspaceRoot = resolve(input.workspaceRoot);
  const fleet = loadFleetConfig(workspaceRoot);
  const { source, spec } = restoreSpec(workspaceRoot, input.tenant, input.certificateArn);
  const accountId = source.account.id ?? fleet.defaultAccountId;
  checkRecoveryPoint(source, accountId, input.databaseRecoveryPointArn);

  const workDir = join(workspaceRoot, DR_WORK_DIR, spec.name);
  const dir = join(workDir, 'stack');
  mkdirSync(workDir, { recursive: true });
  const staging = mkdtempSync(join(workDir, '.staging-'));
  try {
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: true });
    new TenantStack(app, {
      spec,
      fleet,
      mode: input.mode ?? 'offline',
      localStatePath: `../../${spec.name}/terraform.tfstate`,
      databaseSnapshotArn: input.databaseRecoveryPointArn,
    });
    app.synth();
    const staged = stackDir(staging, spec.name);
    const stack = SynthesizedStack.read(join(staged, STACK_FILE));
    const policy = evaluatePolicy(stack, policyContext({ spec, fleet }));
    assertCompliant([policy]);
    replaceDirAtomic(staged, dir);
    return { source, spec, dir, workDir, stack, policy };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface RestoreDrill extends RestoreStack {
  readonly plan: TenantPlan;
}

/**
 * The restore drill: synthesise the restore stack and plan it with the real terraform and AWS
 * provider. Offline (the default) it proves, with no AWS account, that the tenant's stack can be
 * rebuilt in the DR region around the copied database; in remote mode the plan is the real one.
 */
export async function planRestoreDrill(input: RestoreInput, options: StepOptions = {}): Promise<RestoreDrill> {
  const restore = synthesizeRestoreStack(input);
  const ctx = fleetContext(input.workspaceRoot);
  const location: StackLocation = {
    name: restore.spec.name,
    dir: restore.dir,
    workDir: restore.workDir,
    synthCommand: `fleet dr ${input.tenant} --drill …`,
  };
  const plan = await planStack(ctx, location, options);
  return { ...restore, plan };
}
