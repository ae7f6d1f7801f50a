import { describe, expect, it } from 'vitest';
import { Fn, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { connectionRules, securityGroupRules } from '../testing/security-group-rules.js';
import { ref, synthesize, testStack } from '../testing/synth.js';
import { APP_SECURITY_GROUP_ID, VPC_ID, WORKER_SECURITY_GROUP_ID } from '../testing/values.js';
import { TierSecurityGroup, type AllowFromOptions } from './tier-security-group.js';

const SOURCES = [APP_SECURITY_GROUP_ID, WORKER_SECURITY_GROUP_ID];

/** A tier construct `tier` holding its group under the hidden id `Default`, opened to `SOURCES` on 5432. */
function synthTier(options: { description?: string | ((position: number) => string); allow?: AllowFromOptions } = {}) {
  return synthesize(
    testStack((stack) => {
      const group = new TierSecurityGroup(new Construct(stack, 'tier'), 'Default', {
        name: 'acme-db',
        description: 'acme: database',
        vpcId: VPC_ID,
      });
      group.allowFrom(SOURCES, 5432, options.description ?? 'Database port', options.allow);
      new TerraformOutput(stack, 'securityGroupId', { value: group.securityGroupId });
    }),
  );
}

describe('TierSecurityGroup', () => {
  it('is a named, tagged group in the VPC with no inline rules', () => {
    const { single, outputs } = synthTier();
    const [groupId, group] = single('aws_security_group');
    expect(group).toEqual({ name: 'acme-db', description: 'acme: database', vpc_id: VPC_ID, tags: { Name: 'acme-db' } });
    expect(outputs['securityGroupId']).toBe(ref('aws_security_group', groupId));
  });

  it('opens each source on the port with an ingress rule here and the matching egress rule on the source', () => {
    const synth = synthTier();
    const [groupId] = synth.single('aws_security_group');
    expect(securityGroupRules(synth)).toEqual(connectionRules(ref('aws_security_group', groupId), SOURCES, 5432));
  });

  it('describes the ingress rules as told (per source position when given a function) and the egress rules by the group', () => {
    const described = (synth: ReturnType<typeof synthTier>, type: string) =>
      Object.values(synth.resources(type)).map((r) => r['description']);
    expect(described(synthTier(), 'aws_vpc_security_group_ingress_rule')).toEqual(['Database port', 'Database port']);
    const numbered = synthTier({ description: (n) => `Database port from allowed security group ${n}` });
    expect(described(numbered, 'aws_vpc_security_group_ingress_rule')).toEqual([
      'Database port from allowed security group 1',
      'Database port from allowed security group 2',
    ]);
    expect(described(numbered, 'aws_vpc_security_group_egress_rule')).toEqual(['To acme-db on port 5432', 'To acme-db on port 5432']);
  });

  it('under the id "Default", keeps the addresses the tier would give the same resources declared by itself', () => {
    const direct = synthesize(
      testStack((stack) => {
        const tier = new Construct(stack, 'tier');
        new SecurityGroup(tier, 'security-group', { name: 'acme-db', description: 'acme: database', vpcId: VPC_ID });
        new SecurityGroup(tier, 'nfs-ingress-1', { name: 'probe', description: 'probe', vpcId: VPC_ID });
      }),
    );
    const [directGroupId] = direct.single('aws_security_group', 'tier_security-group');
    const [probeId] = direct.single('aws_security_group', 'tier_nfs-ingress-1');
    const synth = synthTier({ allow: { idPrefix: 'nfs-' } });
    expect(synth.single('aws_security_group')[0]).toBe(directGroupId);
    expect(Object.keys(synth.resources('aws_vpc_security_group_ingress_rule'))).toContain(probeId);
    expect(Object.keys(synth.resources('aws_vpc_security_group_egress_rule'))).toEqual([
      expect.stringMatching(/^tier_nfs-egress-0_[0-9A-F]{8}$/),
      expect.stringMatching(/^tier_nfs-egress-1_[0-9A-F]{8}$/),
    ]);
  });

  it('refuses a port that is not TCP and a source list unknown at synthesis', () => {
    const allow = (sources: string[], port: number) => () =>
      testStack((stack) =>
        new TierSecurityGroup(stack, 'tier', { name: 'acme-db', description: 'acme: database', vpcId: VPC_ID }).allowFrom(
          sources,
          port,
          'x',
        ),
      );
    expect(allow(SOURCES, 0)).toThrow(/tier: allowFrom: port must be a TCP port, got 0/);
    expect(allow(SOURCES, 70000)).toThrow(/port must be a TCP port/);
    expect(allow(Fn.split(',', 'sg-1,sg-2'), 5432)).toThrow(/sourceGroupIds must be a list known at synthesis/);
  });
});
