import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface TierSecurityGroupProps {
  /** Group name and Name tag, e.g. `acme-db`. */
  readonly name: string;
  /** What the group guards and who may reach it. */
  readonly description: string;
  readonly vpcId: string;
}

export interface AllowFromOptions {
  /**
   * Start of the rules' construct ids: `<idPrefix>ingress-<n>` and `<idPrefix>egress-<n>`, `n` being the
   * source's position from 0. A second `allowFrom` on the same group needs a prefix of its own.
   * @default ''
   */
  readonly idPrefix?: string;
}

/**
 * The own security group of a tier (database, cache, file system, instances), holding no inline
 * rules: every rule is a separate resource, so groups can reference each other without a cycle.
 *
 * Give it the construct id `Default` inside the tier's construct: that id is left out of resource
 * addresses, so the group and its rules are addressed as if the tier had declared them itself.
 */
export class TierSecurityGroup extends Construct {
  readonly securityGroupId: string;
  private readonly groupName: string;

  constructor(scope: Construct, id: string, props: TierSecurityGroupProps) {
    super(scope, id);
    const group = new SecurityGroup(this, 'security-group', {
      name: props.name,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.name },
    });
    this.securityGroupId = group.id;
    this.groupName = props.name;
  }

  /**
   * Lets the members of each source group open TCP connections to this tier on `port`, like
   * aws-cdk's `connections.allowFrom`: an ingress rule on this group and the matching egress rule
   * on the source group, so that neither half of a connection can be forgotten.
   *
   * @param description of each ingress rule; a function gets the source's position, counted from 1.
   */
  allowFrom(
    sourceGroupIds: string[],
    port: number,
    description: string | ((position: number) => string),
    options: AllowFromOptions = {},
  ): void {
    const fail = (message: string): never => {
      throw new Error(`${this.node.path}: allowFrom: ${message}`);
    };
    if (Token.isUnresolved(sourceGroupIds)) fail('sourceGroupIds must be a list known at synthesis (one element per group)');
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`port must be a TCP port, got ${port}`);
    const prefix = options.idPrefix ?? '';
    sourceGroupIds.forEach((source, index) => {
      const connection = { ipProtocol: 'tcp', fromPort: port, toPort: port };
      new VpcSecurityGroupIngressRule(this, `${prefix}ingress-${index}`, {
        securityGroupId: this.securityGroupId,
        description: typeof description === 'string' ? description : description(index + 1),
        ...connection,
        referencedSecurityGroupId: source,
      });
      new VpcSecurityGroupEgressRule(this, `${prefix}egress-${index}`, {
        securityGroupId: source,
        description: `To ${this.groupName} on port ${port}`,
        ...connection,
        referencedSecurityGroupId: this.securityGroupId,
      });
    });
  }
}
