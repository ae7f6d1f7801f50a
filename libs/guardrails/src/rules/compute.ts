import { notApplicable, verdictOf, type PolicyRule } from '../rule.js';
import { actionsInText, block, blocks, policyStatements, shown, strings } from './support.js';

/** Compute and access: hardened instances, reached through SSM, holding least-privilege roles. */

/** `*`, `s3:*`: a whole service (or everything) instead of the actions the role needs. */
const isWildcardAction = (action: string): boolean => action === '*' || /^[\w-]+:\*$/.test(action);

/** AWS managed policies that hand over an account or a whole service. */
const BROAD_MANAGED_POLICY = /:policy\/(?:AdministratorAccess|PowerUserAccess|IAMFullAccess|[\w-]*FullAccess(?:-v\d+)?)$/;

/** Problems of one policy document: wildcard actions or NotAction in Allow statements. */
function broadGrants(document: unknown): string[] {
  const statements = policyStatements(document);
  if (!statements) {
    // A jsonencode() expression: read the actions from its text (any effect; Deny-with-wildcard is rare here).
    return actionsInText(String(document ?? ''))
      .filter(isWildcardAction)
      .map((action) => `grants ${shown(action)}`);
  }
  return statements
    .filter((s) => s.Effect !== 'Deny')
    .flatMap((s) => [
      ...strings(s.Action)
        .filter(isWildcardAction)
        .map((action) => `grants ${shown(action)}`),
      ...(s.NotAction !== undefined ? [`statement ${shown(s.Sid ?? '?')} allows everything but ${shown(s.NotAction)} (NotAction)`] : []),
    ]);
}

export const COMPUTE_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-EC2-001',
    severity: 'error',
    area: 'compute',
    description: 'Instances require IMDSv2 (session tokens) for the metadata service',
    resourceTypes: ['aws_launch_template', 'aws_instance'],
    fix: 'set metadata_options { http_tokens = "required", http_put_response_hop_limit = 1 } (HardenedLaunchTemplate does)',
    check(resource) {
      const options = block(resource.values['metadata_options']);
      return verdictOf([
        options?.['http_tokens'] !== 'required' &&
          `metadata_options.http_tokens is ${shown(options?.['http_tokens'])}, so IMDSv1 answers without a token`,
      ]);
    },
  },
  {
    id: 'HAF-EC2-002',
    severity: 'error',
    area: 'compute',
    description: 'Instances have no SSH key pair: operators use SSM Session Manager',
    resourceTypes: ['aws_launch_template', 'aws_instance'],
    fix: 'remove key_name; attach AmazonSSMManagedInstanceCore to the instance role instead',
    check(resource) {
      return verdictOf([resource.values['key_name'] !== undefined && `key_name is ${shown(resource.values['key_name'])}`]);
    },
  },
  {
    id: 'HAF-IAM-001',
    severity: 'error',
    area: 'compute',
    description: 'Inline and customer policies list the actions they allow: no "*", no "service:*", no NotAction',
    resourceTypes: ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_role'],
    fix: 'list the actions the role needs (e.g. "s3:GetObject") on the resources it needs',
    check(resource) {
      if (resource.type === 'aws_iam_role') {
        const inline = blocks(resource.values['inline_policy']);
        return inline.length === 0 ? notApplicable : verdictOf(inline.flatMap((p) => broadGrants(p['policy'])));
      }
      return verdictOf(broadGrants(resource.values['policy']));
    },
  },
  {
    id: 'HAF-IAM-002',
    severity: 'error',
    area: 'compute',
    description: 'No role holds an administrator or full-access managed policy',
    resourceTypes: ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_role'],
    fix: 'attach a narrow managed policy (e.g. AmazonSSMManagedInstanceCore) or an inline policy with the actions needed',
    check(resource) {
      const arns =
        resource.type === 'aws_iam_role' ? strings(resource.values['managed_policy_arns']) : strings(resource.values['policy_arn']);
      if (resource.type === 'aws_iam_role' && arns.length === 0) return notApplicable;
      return verdictOf(arns.filter((arn) => BROAD_MANAGED_POLICY.test(arn)).map((arn) => `attaches ${arn}`));
    },
  },
  {
    id: 'HAF-EC2-003',
    severity: 'error',
    area: 'compute',
    description:
      'A tenant alone in its account has Amazon Inspector scan its instances (in a shared account the fleet operator owns that setting)',
    resourceTypes: ['aws_launch_template'],
    fix:
      'with spec account.dedicated, add an aws_inspector2_enabler for the tenant account with ' +
      'resource_types ["EC2"] (TenantStack does, through InstanceScanning)',
    check(_template, stack, { spec, accountId }) {
      if (!spec.account.dedicated) return notApplicable;
      const scanning = stack
        .ofType('aws_inspector2_enabler')
        .some((e) => strings(e.values['account_ids']).includes(accountId) && strings(e.values['resource_types']).includes('EC2'));
      return verdictOf([!scanning && `no aws_inspector2_enabler scans EC2 in account ${accountId}`]);
    },
  },
];
