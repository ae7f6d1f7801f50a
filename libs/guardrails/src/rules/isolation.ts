import { fail, notApplicable, verdictOf, type PolicyContext, type PolicyRule } from '../rule.js';
import type { StackResource } from '../synthesized-stack.js';
import { block, blocks, isTrue, policyStatements, shown, strings, usesStackKey, type Json } from './support.js';

/**
 * Tenant isolation: everything in a tenant's stack is that tenant's — tagged with it, encrypted
 * with its key, in its account, with its own state and deployer role — and nothing points at
 * another tenant.
 */

/** The tags every tenant resource carries (TenantStack puts them in the provider's default_tags). */
const tenantTags = (tenant: string): Readonly<Record<string, string>> => ({ tenant, 'managed-by': 'hafleet' });

/** Every string in a resource's arguments, with the attribute it sits under; construct metadata (`//`) skipped. */
const leavesCache = new WeakMap<object, ReadonlyArray<readonly [string, string]>>();
function stringLeaves(values: Readonly<Record<string, unknown>>): ReadonlyArray<readonly [string, string]> {
  let leaves = leavesCache.get(values);
  if (!leaves) {
    const found: Array<readonly [string, string]> = [];
    const walk = (value: unknown, key: string): void => {
      if (typeof value === 'string') found.push([key, value]);
      else if (Array.isArray(value)) for (const item of value) walk(item, key);
      else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) if (k !== '//') walk(v, k);
    };
    walk(values, '');
    leaves = found;
    // Three isolation rules read every resource's strings: walk each resource once.
    leavesCache.set(values, leaves);
  }
  return leaves;
}

/** What is missing or different in `tags` compared with the tenant tags. */
function tagProblems(
  tags: Readonly<Record<string, unknown>> | undefined,
  expected: Readonly<Record<string, string>>,
  where: string,
): string[] {
  return Object.entries(expected)
    .filter(([key, value]) => tags?.[key] !== value)
    .map(
      ([key, value]) =>
        `${where} ${tags?.[key] === undefined ? `lacks ${key}=${value}` : `has ${key}=${shown(tags[key])}, not ${shown(value)}`}`,
    );
}

/** Tag blocks of an auto scaling group (`tag` blocks, or the older `tags` list of maps) as a map. */
function groupTags(group: StackResource): Record<string, unknown> {
  const entries = [...blocks(group.values['tag']), ...blocks(group.values['tags'])];
  return Object.fromEntries(entries.filter((t) => t['key'] !== undefined).map((t) => [String(t['key']), t['value']]));
}

const KEY_ATTRIBUTE = /(?:^|_)kms_key_(?:id|arn)$|^kms_master_key_id$|^target_key_id$/;
const ROLE_ATTRIBUTE = /(?:^|_)role_arn$/;
/** Service-linked roles are created by AWS in the account, never by the stack. */
const SERVICE_LINKED_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/aws-service-role\//;
const ARN_ACCOUNT = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g;
const ARN = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9a-z]*:[^"\s,}\]]+/g;

/** Arguments that hold names or identifiers of AWS resources (where another tenant's name would show). */
const IDENTIFIER_ATTRIBUTES = new Set([
  'name',
  'name_prefix',
  'bucket',
  'target_bucket',
  'identifier',
  'identifier_prefix',
  'cluster_identifier',
  'replication_group_id',
  'user_group_id',
  'user_id',
  'creation_token',
  'final_snapshot_identifier',
  'snapshot_identifier',
  'log_group_name',
  'alarm_name',
  'db_name',
  'database_name',
  'function_name',
  'queue_name',
  'topic_name',
  'secret_id',
  'key_id',
]);

/** One regex matching any fleet tenant name as a whole name segment, longest name first. */
const tenantNamePatterns = new WeakMap<readonly string[], RegExp>();
function tenantNamePattern(fleetTenants: readonly string[]): RegExp {
  let pattern = tenantNamePatterns.get(fleetTenants);
  if (!pattern) {
    const names = [...fleetTenants].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`(?<![a-z0-9-])(${names.join('|') || '(?!)'})(?![a-z0-9])`, 'g');
    tenantNamePatterns.set(fleetTenants, pattern);
  }
  return pattern;
}

/**
 * The fleet's names as a set when every one is a valid tenant name (`[a-z0-9-]`, no hyphen at
 * either end): one alternation of a thousand names costs every string a thousand tries, a set
 * lookup per candidate does not, so the check costs the same per tenant at any fleet size.
 */
const tenantNameSets = new WeakMap<readonly string[], ReadonlySet<string> | null>();
const PLAIN_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
function tenantNameSet(fleetTenants: readonly string[]): ReadonlySet<string> | null {
  let names = tenantNameSets.get(fleetTenants);
  if (names === undefined) {
    names = fleetTenants.every((name) => PLAIN_NAME.test(name)) ? new Set(fleetTenants) : null;
    tenantNameSets.set(fleetTenants, names);
  }
  return names;
}

/** Maximal runs of name characters: a name can only start where a run starts (the pattern's look-behind). */
const NAME_RUN = /[a-z0-9-]+/g;

/** Names of other tenants found in `text` (the longest matching name wins, so `acme-edu` is not `acme`). */
function otherTenantsIn(text: string, context: PolicyContext): string[] {
  const names = tenantNameSet(context.fleetTenants);
  if (!names)
    return [...text.matchAll(tenantNamePattern(context.fleetTenants))].map((m) => m[1]!).filter((name) => name !== context.tenant);
  // Exactly what the pattern finds: per run, the longest name that is the whole run or the part before one of its hyphens.
  const found: string[] = [];
  for (const [run] of text.matchAll(NAME_RUN)) {
    for (let end = run.length; end > 0; end = run.lastIndexOf('-', end - 1)) {
      const candidate = run.slice(0, end);
      if (!names.has(candidate)) continue;
      if (candidate !== context.tenant) found.push(candidate);
      break;
    }
  }
  return found;
}

function backendProblems(backend: StackResource, context: PolicyContext): string[] {
  const v = backend.values;
  const { tenant } = context;
  switch (backend.name) {
    case 'local': {
      const path = String(v['path'] ?? 'terraform.tfstate').replace(/\\/g, '/');
      return path === 'terraform.tfstate' || path.endsWith(`/${tenant}/terraform.tfstate`)
        ? []
        : [`local state ${shown(path)} is not in the tenant's own folder`];
    }
    case 's3': {
      const state = context.fleet.stateBackend;
      const key = `${state.keyPrefix}/${tenant}/terraform.tfstate`;
      return [
        v['bucket'] !== state.bucket ? `state bucket ${shown(v['bucket'])} is not the fleet's ${state.bucket}` : '',
        v['key'] !== key ? `state key ${shown(v['key'])} is not ${key}` : '',
        !isTrue(v['encrypt']) ? 'state is not encrypted (encrypt)' : '',
        !isTrue(v['use_lockfile']) && v['dynamodb_table'] === undefined ? 'state has no lock (use_lockfile)' : '',
      ].filter(Boolean);
    }
    default:
      return [`backend ${shown(backend.name)} is not one hafleet knows (local or s3)`];
  }
}

export const ISOLATION_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-ISO-001',
    severity: 'error',
    area: 'isolation',
    description:
      "Every resource carries its tenant's tags: provider default_tags, " +
      'plus explicit tags where default_tags do not reach (auto scaling groups, launched instances and volumes)',
    resourceTypes: ['provider.aws', '*'],
    fix:
      "keep tenant and managed-by in every aws provider's default_tags (TenantStack does); " +
      'pass them to groups and launch templates (WebTier/Worker tags), and never override them on a resource',
    check(resource, stack, { tenant }) {
      const expected = tenantTags(tenant);
      if (resource.type === 'provider.aws') {
        return verdictOf(tagProblems(block(block(resource.values['default_tags'])?.['tags']), expected, 'default_tags'));
      }
      const problems: string[] = [];
      const provider = resource.values['provider'];
      if (typeof provider === 'string' && !stack.providers('aws').some((p) => `aws.${p.alias}` === provider)) {
        problems.push(`uses provider ${provider}, which has no configuration (and so no default tags)`);
      }
      if (resource.type === 'aws_autoscaling_group') {
        // default_tags never reach auto scaling groups, nor the instances they launch...
        problems.push(...tagProblems(groupTags(resource), expected, 'the group'));
      } else if (resource.type === 'aws_launch_template') {
        // ...nor a launch template's tag_specifications: instances and volumes need the tags spelled out.
        const specs = blocks(resource.values['tag_specifications']);
        for (const kind of ['instance', 'volume']) {
          const spec = specs.find((s) => s['resource_type'] === kind);
          problems.push(...tagProblems(block(spec?.['tags']), expected, `launched ${kind}s`));
        }
      }
      // A resource's own tags win over default_tags: they may add tags, never relabel the resource.
      const own = block(resource.values['tags']);
      if (own) problems.push(...tagProblems(own, expected, 'tags').filter((p) => !p.includes(' lacks ')));
      const relevant =
        own !== undefined ||
        typeof provider === 'string' ||
        resource.type === 'aws_autoscaling_group' ||
        resource.type === 'aws_launch_template';
      return relevant ? verdictOf(problems) : notApplicable;
    },
  },
  {
    id: 'HAF-ISO-002',
    severity: 'error',
    area: 'isolation',
    description: "Every key and role a resource uses is the tenant's own, created in its stack",
    resourceTypes: ['*'],
    fix: "reference the tenant key and the stack's own roles (construct props), never a pasted ARN of a key or role made elsewhere",
    check(resource, stack) {
      const problems: string[] = [];
      let checked = false;
      for (const [key, value] of stringLeaves(resource.values)) {
        if (KEY_ATTRIBUTE.test(key)) {
          checked = true;
          if (!usesStackKey(stack, value)) problems.push(`${key} is ${shown(value)}, not a key of this stack`);
        } else if (ROLE_ATTRIBUTE.test(key)) {
          checked = true;
          const own = stack.referenced(value).some((r) => r.type === 'aws_iam_role') || SERVICE_LINKED_ROLE.test(value);
          if (!own) problems.push(`${key} is ${shown(value)}, not a role of this stack`);
        }
      }
      return checked ? verdictOf(problems) : notApplicable;
    },
  },
  {
    id: 'HAF-ISO-003',
    severity: 'error',
    area: 'isolation',
    description: "Every ARN in the stack is in the tenant's own account (or AWS's)",
    resourceTypes: ['*', 'provider.aws'],
    fix: "use ARNs of the tenant's account (spec account.id, else fleet.json defaultAccountId); a certificate or role from elsewhere belongs to someone else",
    check(resource, _stack, { accountId }) {
      const foreign = new Set<string>();
      let arns = 0;
      for (const [, value] of stringLeaves(resource.values)) {
        if (!value.includes('arn:')) continue;
        for (const match of value.matchAll(ARN_ACCOUNT)) {
          arns++;
          if (match[1] !== accountId) foreign.add(match[1]!);
        }
      }
      if (arns === 0) return notApplicable;
      return verdictOf([...foreign].map((account) => `refers to account ${account}; the tenant's is ${accountId}`));
    },
  },
  {
    id: 'HAF-ISO-004',
    severity: 'error',
    area: 'isolation',
    description: "No name or ARN in the stack points at another tenant's resources",
    resourceTypes: ['*'],
    fix: "name resources after this tenant only (construct name prop = spec name); a tenant never reaches another tenant's buckets, keys, state or roles",
    check(resource, _stack, context) {
      const others = new Set<string>();
      let checked = false;
      for (const [key, value] of stringLeaves(resource.values)) {
        const texts = IDENTIFIER_ATTRIBUTES.has(key) ? [value] : value.includes('arn:') ? [...value.matchAll(ARN)].map((m) => m[0]) : [];
        for (const text of texts) {
          checked = true;
          for (const name of otherTenantsIn(text, context)) others.add(name);
        }
      }
      if (!checked) return notApplicable;
      return verdictOf([...others].map((name) => `names tenant ${name}`));
    },
  },
  {
    id: 'HAF-ISO-005',
    severity: 'error',
    area: 'isolation',
    description:
      "The stack uses only the tenant's own state (key per tenant, encrypted, locked) and deployer role, and reads no other state",
    resourceTypes: ['terraform.backend', 'provider.aws', 'data.terraform_remote_state'],
    fix:
      'keep the backend TenantStack configures (local per-tenant file offline; fleet S3 bucket, ' +
      'key <keyPrefix>/<tenant>/terraform.tfstate, encrypt, use_lockfile remote), ' +
      'assume only spec account.deployerRoleArn, and share data through outputs, not remote state',
    check(resource, _stack, context) {
      if (resource.type === 'data.terraform_remote_state') return fail('reads the state of another stack');
      if (resource.type === 'terraform.backend') return verdictOf(backendProblems(resource, context));
      const expected = context.spec.account.deployerRoleArn;
      const roles = blocks(resource.values['assume_role']).map((r) => r['role_arn']);
      return verdictOf(
        roles
          .filter((role) => role !== expected)
          .map((role) => `assumes ${shown(role)}; the tenant's deployer role is ${expected ?? 'not set in the spec'}`),
      );
    },
  },
  {
    id: 'HAF-ISO-006',
    severity: 'error',
    area: 'isolation',
    description: "Roles can be assumed only by AWS services or the tenant's own account",
    resourceTypes: ['aws_iam_role'],
    fix: 'trust a service principal (e.g. ec2.amazonaws.com) or principals of the tenant account; never "*", another account or a federated identity',
    check(role, _stack, { accountId }) {
      const statements = policyStatements(role.values['assume_role_policy']);
      if (!statements) return fail('the trust policy is a terraform expression the guardrails cannot read; write it as JSON');
      const problems = statements
        .filter((s) => s.Effect !== 'Deny')
        .flatMap((s) => {
          const principal = s.Principal;
          if (principal === '*') return ['trusts everyone'];
          const p = (typeof principal === 'object' && principal !== null ? principal : {}) as Json;
          return [
            ...strings(p['AWS'])
              .filter((aws) => aws !== accountId && !new RegExp(`^arn:aws[a-z-]*:iam::${accountId}:`).test(aws))
              .map((aws) => `trusts ${aws}`),
            ...strings(p['Federated']).map((f) => `trusts the federated identity ${f}`),
          ];
        });
      return verdictOf(problems);
    },
  },
  {
    id: 'HAF-ISO-007',
    severity: 'error',
    area: 'isolation',
    description: 'Only a tenant alone in its account changes account-wide settings (Amazon Inspector): two stacks never fight over one',
    resourceTypes: ['aws_inspector2_enabler'],
    fix: 'remove the enabler, or set spec account.dedicated (with account.id) when the tenant really is alone in its account',
    check(enabler, _stack, { spec, accountId }) {
      return verdictOf([
        !spec.account.dedicated &&
          `enables Inspector for account ${accountId}, which other tenants may share (account.dedicated is not set)`,
        strings(enabler.values['account_ids']).some((id) => id !== accountId) && `names accounts other than the tenant's ${accountId}`,
      ]);
    },
  },
];
