import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@hafleet/fs-safe';
import {
  SpecValidationError,
  TENANTS_DIR,
  TENANT_SPEC_FILE,
  formatCidr,
  loadFleet,
  loadFleetConfig,
  nextFreeVpcCidr,
  parsedNetworkPool,
  takenVpcCidrs,
  tenantNameSchema,
  type SpecProblem,
  type TenantSpec,
  type TenantSpecInput,
} from '@hafleet/tenant-spec';
import { flagUsage, labelField, parseAnswers, questionFor, tenantFile, type OnboardingAnswers } from './questions.js';

/** A validated new tenant, ready to be written: nothing is on disk yet. */
export interface OnboardingPlan {
  readonly name: string;
  /** Absolute path of the tenant.json to write. */
  readonly file: string;
  /** Relative to the workspace, for messages. */
  readonly relativeFile: string;
  /** Exactly what will be written. */
  readonly text: string;
  /** The spec as every fleet command will read it: defaults and sizes filled in. */
  readonly spec: TenantSpec;
  /** Where the VPC range came from. */
  readonly network: { readonly vpcCidr: string; readonly allocatedFrom?: string };
}

/**
 * Everything `fleet onboard` and `nx g @hafleet/nx-plugin:tenant` do before writing: turns the answers
 * into a spec (release from fleet.json, VPC range from the network pool), then validates it with the
 * whole fleet (schema, unique name, domain and range). Throws SpecValidationError naming the tenant,
 * the field, its flag and the fix; writes nothing.
 */
export function prepareOnboarding(
  workspaceRoot: string,
  rawAnswers: Readonly<Record<string, unknown>>,
  options: { readonly cwd?: string } = {},
): OnboardingPlan {
  const root = resolve(workspaceRoot);
  const { answers, problems, missing } = parseAnswers(rawAnswers);
  const name = answers.name ?? '';
  const fail = (extra: SpecProblem[] = []): never => {
    throw new SpecValidationError([...problems, ...extra]);
  };
  const problem = (field: string, message: string): SpecProblem => ({
    tenant: name || '(new tenant)',
    file: tenantFile(name),
    field: labelField(field),
    message,
  });
  for (const q of missing) problems.push(problem(q.specField, `is required — fix: ${flagUsage(q)}`));
  if (problems.length > 0) fail();

  // The name becomes a path: nothing else is looked at until it is known to be safe.
  const nameCheck = tenantNameSchema.safeParse(name);
  if (!nameCheck.success) fail([problem('name', nameCheck.error.issues[0]!.message)]);
  const folder = join(root, TENANTS_DIR, name);
  if (existsSync(folder)) {
    fail([
      problem(
        'name',
        `${TENANTS_DIR}/${name} already exists — fix: choose another name (to change that tenant, edit its ${TENANT_SPEC_FILE})`,
      ),
    ]);
  }
  for (const projects of ['apps', 'libs']) {
    if (existsSync(join(root, projects, name)))
      fail([problem('name', `"${name}" is the Nx project ${projects}/${name} — fix: choose another tenant name`)]);
  }

  // A missing release or an exhausted pool is reported with every other problem of the answers:
  // the spec is validated with a stand-in for the value, whose own problems are then dropped.
  const fleet = loadFleetConfig(root);
  const release = answers.amiId
    ? { amiId: answers.amiId, release: answers.release }
    : fleet.defaultRelease && { ...fleet.defaultRelease, release: answers.release ?? fleet.defaultRelease.release };
  if (!release)
    problems.push(
      problem(
        'app.amiId',
        `is required: fleet.json has no defaultRelease — fix: ${flagUsage(questionFor('amiId'))}, or set defaultRelease in fleet.json`,
      ),
    );

  let network: OnboardingPlan['network'] | undefined;
  if (answers.vpcCidr) {
    network = { vpcCidr: answers.vpcCidr };
  } else {
    const pool = parsedNetworkPool(fleet.networkPool);
    const free = nextFreeVpcCidr(pool.cidr, pool.prefix, takenVpcCidrs(root));
    if (free) network = { vpcCidr: formatCidr(free), allocatedFrom: pool.text };
    else {
      problems.push(
        problem(
          'network.vpcCidr',
          `the network pool ${pool.text} has no free /${pool.prefix} left — fix: widen networkPool.cidr ` +
            `(or lengthen networkPool.prefix) in fleet.json, ` +
            `or pass ${flagUsage(questionFor('vpcCidr'))} with a free range`,
        ),
      );
    }
  }

  const signedContent = signedContentFromAnswers(answers, options.cwd ?? process.cwd(), (field, message) =>
    problems.push(problem(field, message)),
  );

  const file = join(folder, TENANT_SPEC_FILE);
  const spec = tenantSpecFromAnswers(
    answers as OnboardingAnswers,
    release ?? STAND_IN.release,
    network?.vpcCidr ?? STAND_IN.vpcCidr,
    signedContent,
  );
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const standIns = [...(release ? [] : ['app.amiId']), ...(network ? [] : ['network.vpcCidr'])];
  let loaded: TenantSpec | undefined;
  try {
    loaded = loadFleet(root, { only: [name], candidates: [{ file, text }] })[0]!.spec;
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    // Blame the flag that produced the field; problems of other tenants' files stay as they are.
    for (const p of error.problems) {
      if (p.tenant === name && standIns.includes(p.field)) continue;
      problems.push(p.tenant === name ? { ...p, field: labelField(p.field) } : p);
    }
  }
  if (problems.length > 0 || !loaded || !network) fail();
  return { name, file, relativeFile: relative(root, file), text, spec: loaded!, network: network! };
}

type SignedContent = NonNullable<NonNullable<TenantSpecInput['cdn']>['signedContent']>;

/**
 * `cdn.signedContent` from the paths and the PEM files named by the answers (read relative to `cwd`, where the person
 * typed them); each key is named after its file (`northwind-signing-2026.pub.pem` → northwind-signing-2026). The
 * schema checks the PEM itself.
 */
function signedContentFromAnswers(
  answers: Partial<OnboardingAnswers>,
  cwd: string,
  report: (field: string, message: string) => void,
): SignedContent | undefined {
  const paths = answers.signedContentPaths ?? [];
  const keyFiles = answers.signedContentPublicKeys ?? [];
  if (paths.length === 0 && keyFiles.length === 0) return undefined;
  const pathsQuestion = questionFor('signedContentPaths');
  const keysQuestion = questionFor('signedContentPublicKeys');
  if (!answers.cdnCertificateArn)
    report(pathsQuestion.specField, `signed content is served by CloudFront — fix: add ${flagUsage(questionFor('cdnCertificateArn'))}`);
  if (paths.length === 0) report(pathsQuestion.specField, `the keys sign nothing without paths — fix: ${flagUsage(pathsQuestion)}`);
  if (keyFiles.length === 0)
    report(keysQuestion.specField, `the paths need the public key they are signed with — fix: ${flagUsage(keysQuestion)}`);
  const publicKeys = keyFiles.flatMap((path) => {
    const name = basename(path).replace(/(\.pub)?\.pem$/i, '');
    try {
      return [{ name, encodedKey: readFileSync(resolve(cwd, path), 'utf8') }];
    } catch (error) {
      report(
        keysQuestion.specField,
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}) — fix: ${flagUsage(keysQuestion)}`,
      );
      return [];
    }
  });
  const names = publicKeys.map((k) => k.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) report(keysQuestion.specField, `two key files are named ${twice} — fix: one file name per key (the name is the key's)`);
  return { pathPatterns: [...paths], publicKeys };
}

/** Values that let the rest of a spec be validated while the real one is missing (never written). */
const STAND_IN = { release: { amiId: 'ami-00000000' }, vpcCidr: '10.0.0.0/16' } as const;

/**
 * The spec an onboarding writes: the answers and nothing the libs already know. Sizes are left to the
 * sizing model (fed with expectedLoad), so that `fleet size` can explain them and a retuned model
 * reaches every tenant that did not choose a value of its own.
 */
export function tenantSpecFromAnswers(
  answers: OnboardingAnswers,
  release: { amiId: string; release?: string | undefined },
  vpcCidr: string,
  signedContent?: SignedContent,
): TenantSpecInput {
  const account = {
    ...(answers.accountId ? { id: answers.accountId } : {}),
    ...(answers.deployerRoleArn ? { deployerRoleArn: answers.deployerRoleArn } : {}),
  };
  return {
    $schema: '../../libs/tenant-spec/tenant.schema.json',
    name: answers.name,
    displayName: answers.displayName,
    ...(answers.environment ? { environment: answers.environment as TenantSpecInput['environment'] } : {}),
    region: answers.region,
    domain: answers.domain,
    expectedLoad: { concurrentUsers: answers.concurrentUsers, population: answers.population },
    ...(answers.ring ? { rollout: { ring: answers.ring as NonNullable<TenantSpecInput['rollout']>['ring'] } } : {}),
    ...(Object.keys(account).length > 0 ? { account } : {}),
    alerts: { emails: [...answers.alertEmails] },
    network: { vpcCidr },
    app: {
      amiId: release.amiId,
      ...(release.release ? { release: release.release } : {}),
      ...(answers.profile ? { profile: answers.profile as NonNullable<TenantSpecInput['app']['profile']> } : {}),
    },
    edge: { certificateArn: answers.certificateArn, ...(answers.shieldAdvanced ? { shieldAdvanced: true } : {}) },
    ...(answers.cdnCertificateArn
      ? { cdn: { certificateArn: answers.cdnCertificateArn, ...(signedContent ? { signedContent } : {}) } }
      : {}),
    database: { engine: answers.databaseEngine as NonNullable<TenantSpecInput['database']>['engine'] },
    ...(answers.drRegion ? { disasterRecovery: { region: answers.drRegion } } : {}),
  };
}

/**
 * Writes the planned tenant.json atomically, and nothing else: the tenant is an Nx project from now
 * on (the plugin infers it). Refuses to replace a spec that appeared since the plan was made.
 */
export function writeOnboarding(plan: OnboardingPlan): void {
  if (existsSync(plan.file)) {
    throw new SpecValidationError([
      { tenant: plan.name, file: plan.relativeFile, field: 'name', message: 'appeared while onboarding — fix: choose another name' },
    ]);
  }
  const folder = join(plan.file, '..');
  const created = !existsSync(folder);
  try {
    writeFileAtomic(plan.file, plan.text);
  } catch (error) {
    if (created) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

export interface OnboardOptions {
  /** Validate and report, write nothing. */
  readonly dryRun?: boolean;
  /** Where relative file answers (public key files) are read from. @default process.cwd() */
  readonly cwd?: string;
}

/** prepareOnboarding, then writeOnboarding unless dry-run: the one way to onboard a tenant. */
export function onboardTenant(
  workspaceRoot: string,
  rawAnswers: Readonly<Record<string, unknown>>,
  options: OnboardOptions = {},
): OnboardingPlan {
  const plan = prepareOnboarding(workspaceRoot, rawAnswers, options.cwd ? { cwd: options.cwd } : {});
  if (!options.dryRun) writeOnboarding(plan);
  return plan;
}

/** A few lines for people: what was onboarded, its size band and range, and the next step. */
/** Only when asked for: Shield Advanced and signed content change what the account and the application must do. */
function edgeLines(spec: TenantSpec): string[] {
  const signed = spec.cdn?.signedContent;
  return [
    ...(signed
      ? [
          `signed content: ${signed.pathPatterns.join(', ')} served only with a URL or cookie signed by ${signed.publicKeys.map((k) => k.name).join(' or ')}`,
        ]
      : []),
    ...(spec.edge.shieldAdvanced
      ? [
          `Shield Advanced: on the load balancer${spec.cdn ? ' and the distribution' : ''}; the tenant's account must subscribe before the first apply`,
        ]
      : []),
  ];
}

export function describeOnboarding(plan: OnboardingPlan, options: OnboardOptions = {}): string[] {
  const { spec } = plan;
  const { band, load } = spec.sizing;
  const users = load.concurrentUsers.toLocaleString('en-US');
  const population = load.population.toLocaleString('en-US');
  return [
    `${options.dryRun ? 'would onboard' : 'onboarded'} ${spec.name} (${spec.displayName}) in ${spec.region}, ring ${spec.rollout.ring}`,
    `size: ${band.name} band for ${users} concurrent users of ${population}: ` +
      `web ${spec.web.minCapacity}–${spec.web.maxCapacity} × ${spec.app.instanceType} ` +
      `(desired ${spec.web.desiredCapacity}), ${spec.database.engine} ${spec.database.instanceClass}, ` +
      `${spec.cache.nodeType}, NAT ${spec.network.natGateways}`,
    `network: ${plan.network.vpcCidr}${plan.network.allocatedFrom ? ` (first free block of the pool ${plan.network.allocatedFrom})` : ' (given)'}`,
    `profile: ${spec.app.profile} (health check ${spec.app.healthCheckPath}, time zone ${spec.timeZone}, mail from ${spec.mail.fromAddress})`,
    ...edgeLines(spec),
    `${options.dryRun ? 'would write' : 'wrote'} ${plan.relativeFile}`,
    ...(options.dryRun
      ? [`nothing written (dry run) — to onboard: the same command without --dry-run`]
      : [
          `next: npx fleet plan ${spec.name}   (or npx nx run ${spec.name}:plan; why these sizes: npx fleet size ${spec.name})`,
          ...(spec.mail.relay
            ? []
            : [
                `then, after the first apply: publish the mail DNS records for ${spec.domain} ` +
                  `that \`terraform output mail_dns_records\` lists (SES DKIM), or mail will not leave`,
              ]),
        ]),
  ];
}
