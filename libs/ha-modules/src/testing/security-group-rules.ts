import type { Synthesized, SynthResource } from './synth.js';

/** Test-only: the security group rules of a synthesized stack, compared without their descriptions (free text). */

export interface SecurityGroupRules {
  readonly ingress: SynthResource[];
  readonly egress: SynthResource[];
}

/** A rule's arguments without its description. */
export function withoutDescription({ description: _description, ...rule }: SynthResource): SynthResource {
  return rule;
}

/** Every standalone ingress and egress rule, without descriptions, in declaration order. */
export function securityGroupRules({ resources }: Pick<Synthesized, 'resources'>): SecurityGroupRules {
  const rules = (type: string) => Object.values(resources(type)).map(withoutDescription);
  return { ingress: rules('aws_vpc_security_group_ingress_rule'), egress: rules('aws_vpc_security_group_egress_rule') };
}

/**
 * The rules that let each source group connect to `group` on TCP `port` and nothing more: an ingress
 * rule on `group` per source and an egress rule on each source towards `group`.
 */
export function connectionRules(group: string, sources: readonly string[], port: number): SecurityGroupRules {
  const tcp = { ip_protocol: 'tcp', from_port: port, to_port: port };
  return {
    ingress: sources.map((source) => ({ security_group_id: group, referenced_security_group_id: source, ...tcp })),
    egress: sources.map((source) => ({ security_group_id: source, referenced_security_group_id: group, ...tcp })),
  };
}
