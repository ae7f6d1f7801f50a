import { describe, expect, it } from 'vitest';
import { networkProps } from '../testing/fixtures.js';
import { policyOf, serviceTrust } from '../testing/policy.js';
import { addOutputs, ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { Network, type NetworkProps } from './network.js';

function synthNetwork(overrides: Partial<NetworkProps> = {}) {
  let network: Network | undefined;
  const stack = testStack((scope) => {
    network = new Network(scope, 'network', networkProps(overrides));
    addOutputs(scope, network, ['publicPlacement', 'appPlacement', 'dataPlacement', 'vpcId', 'vpcCidr']);
  });
  const { resources, outputs } = synthesize(stack);
  return { network: network!, resources, outputs };
}

const idOf = (resources: Record<string, SynthResource>, name: string) => {
  const entry = Object.entries(resources).find(([, r]) => (r['tags'] as Record<string, string> | undefined)?.['Name'] === name);
  if (!entry) throw new Error(`no resource tagged ${name}`);
  return entry[0];
};

describe('Network', () => {
  it('creates one subnet per tier and zone with the given CIDRs, none with public IPs on launch', () => {
    const { resources } = synthNetwork();
    const subnets = Object.values(resources('aws_subnet'));
    const layout = Object.fromEntries(
      subnets.map((s) => [(s['tags'] as Record<string, string>)['Name'], [s['availability_zone'], s['cidr_block']]]),
    );
    expect(layout).toEqual({
      'acme-public-eu-west-1a': ['eu-west-1a', '10.20.0.0/24'],
      'acme-public-eu-west-1b': ['eu-west-1b', '10.20.1.0/24'],
      'acme-public-eu-west-1c': ['eu-west-1c', '10.20.2.0/24'],
      'acme-app-eu-west-1a': ['eu-west-1a', '10.20.4.0/24'],
      'acme-app-eu-west-1b': ['eu-west-1b', '10.20.5.0/24'],
      'acme-app-eu-west-1c': ['eu-west-1c', '10.20.6.0/24'],
      'acme-data-eu-west-1a': ['eu-west-1a', '10.20.8.0/24'],
      'acme-data-eu-west-1b': ['eu-west-1b', '10.20.9.0/24'],
      'acme-data-eu-west-1c': ['eu-west-1c', '10.20.10.0/24'],
    });
    expect(subnets.every((s) => s['map_public_ip_on_launch'] === false)).toBe(true);
    const vpc = Object.values(resources('aws_vpc'));
    expect(vpc).toHaveLength(1);
    expect(vpc[0]).toMatchObject({ cidr_block: '10.20.0.0/20', enable_dns_support: true, enable_dns_hostnames: true });
  });

  it('keys per-zone resources by zone name, so reordering or adding zones renames nothing', () => {
    const twoZones = synthNetwork({
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      subnets: { public: ['10.20.0.0/24', '10.20.1.0/24'], app: ['10.20.4.0/24', '10.20.5.0/24'], data: ['10.20.8.0/24', '10.20.9.0/24'] },
    }).resources;
    const reordered = synthNetwork({
      availabilityZones: ['eu-west-1c', 'eu-west-1b', 'eu-west-1a'],
      subnets: {
        public: ['10.20.2.0/24', '10.20.1.0/24', '10.20.0.0/24'],
        app: ['10.20.6.0/24', '10.20.5.0/24', '10.20.4.0/24'],
        data: ['10.20.10.0/24', '10.20.9.0/24', '10.20.8.0/24'],
      },
    }).resources;
    for (const type of ['aws_subnet', 'aws_nat_gateway', 'aws_eip', 'aws_route_table', 'aws_route', 'aws_route_table_association']) {
      const before = twoZones(type);
      const after = reordered(type);
      for (const [logicalId, resource] of Object.entries(before)) expect(after[logicalId], `${type} ${logicalId}`).toEqual(resource);
    }
    expect(Object.keys(twoZones('aws_subnet')).some((id) => id.includes('public-subnet-eu-west-1a'))).toBe(true);
  });

  it('puts one NAT gateway in each zone and routes each app subnet through its own zone', () => {
    const { network, resources } = synthNetwork();
    const nats = resources('aws_nat_gateway');
    expect(Object.keys(nats)).toHaveLength(3);
    expect(Object.keys(resources('aws_eip'))).toHaveLength(3);
    expect(network.natGatewayCount).toBe(3);
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      const natId = idOf(nats, `acme-nat-${zone}`);
      expect(nats[natId]!['subnet_id']).toBe(ref('aws_subnet', idOf(resources('aws_subnet'), `acme-public-${zone}`)));
      const tableId = idOf(resources('aws_route_table'), `acme-app-${zone}`);
      const routes = Object.values(resources('aws_route')).filter((r) => r['route_table_id'] === ref('aws_route_table', tableId));
      expect(routes).toEqual([
        {
          route_table_id: ref('aws_route_table', tableId),
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: ref('aws_nat_gateway', natId),
        },
      ]);
    }
  });

  it('shares one NAT gateway in the first zone when asked', () => {
    const { network, resources } = synthNetwork({ natGateways: 'single' });
    const nats = resources('aws_nat_gateway');
    expect(Object.keys(nats)).toHaveLength(1);
    expect(Object.keys(resources('aws_eip'))).toHaveLength(1);
    expect(network.natGatewayCount).toBe(1);
    const natId = idOf(nats, 'acme-nat-eu-west-1a');
    const natRoutes = Object.values(resources('aws_route')).filter((r) => r['nat_gateway_id']);
    expect(natRoutes).toHaveLength(3);
    expect(natRoutes.every((r) => r['nat_gateway_id'] === ref('aws_nat_gateway', natId))).toBe(true);
  });

  it('gives the data tier no route out of the VPC, and only the public table a route to the internet gateway', () => {
    const { resources } = synthNetwork();
    const tables = resources('aws_route_table');
    const dataTable = ref('aws_route_table', idOf(tables, 'acme-data'));
    const publicTable = ref('aws_route_table', idOf(tables, 'acme-public'));
    expect(tables[idOf(tables, 'acme-data')]!['route']).toBeUndefined();
    const routes = Object.values(resources('aws_route'));
    expect(routes.filter((r) => r['route_table_id'] === dataTable)).toEqual([]);
    expect(routes.filter((r) => r['gateway_id'])).toEqual([
      {
        route_table_id: publicTable,
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: ref('aws_internet_gateway', Object.keys(resources('aws_internet_gateway'))[0]!),
      },
    ]);

    const associations = Object.values(resources('aws_route_table_association'));
    expect(associations).toHaveLength(9);
    const subnets = resources('aws_subnet');
    for (const zone of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      const dataSubnet = ref('aws_subnet', idOf(subnets, `acme-data-${zone}`));
      expect(associations.filter((a) => a['subnet_id'] === dataSubnet)).toEqual([{ subnet_id: dataSubnet, route_table_id: dataTable }]);
    }
  });

  it('sends the app subnets to S3 through a gateway endpoint, not the NAT gateways (the data tier has no route at all)', () => {
    const { resources } = synthNetwork();
    const tables = resources('aws_route_table');
    expect(Object.values(resources('aws_vpc_endpoint'))).toEqual([
      {
        vpc_id: ref('aws_vpc', Object.keys(resources('aws_vpc'))[0]!),
        service_name: 'com.amazonaws.eu-west-1.s3',
        vpc_endpoint_type: 'Gateway',
        route_table_ids: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].map((zone) => ref('aws_route_table', idOf(tables, `acme-app-${zone}`))),
        tags: { Name: 'acme-s3' },
      },
    ]);
  });

  it('exposes one NAT gateway id per gateway, in zone order', () => {
    const perZone = synthNetwork();
    const nats = perZone.resources('aws_nat_gateway');
    expect(perZone.network.natGatewayIds).toHaveLength(3);
    expect(synthNetwork({ natGateways: 'single' }).network.natGatewayIds).toHaveLength(1);
    expect(Object.keys(nats)).toHaveLength(3);
  });

  it('delivers the flow logs to the bucket prefix it is given, with no log group and no role', () => {
    const { resources } = synthNetwork({ flowLogBucket: { arn: 'arn:aws:s3:::acme-logs-111122223333', prefix: 'vpc-flow-logs/' } });
    const [flowLog] = Object.values(resources('aws_flow_log'));
    expect(flowLog).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 's3',
      log_destination: 'arn:aws:s3:::acme-logs-111122223333/vpc-flow-logs',
    });
    expect(flowLog!['iam_role_arn']).toBeUndefined();
    expect(resources('aws_cloudwatch_log_group')).toEqual({});
    expect(resources('aws_iam_role')).toEqual({});
  });

  it('rejects a region that is not one and a flow-log prefix without its slash', () => {
    expect(() => synthNetwork({ region: 'Ireland' })).toThrow(/Network acme: region must be an AWS region like "eu-west-1", got "Ireland"/);
    expect(() => synthNetwork({ flowLogBucket: { arn: 'arn:aws:s3:::b', prefix: 'flows' } })).toThrow(
      /flowLogBucket.prefix must be letters, digits or "-" ending in "\/"/,
    );
  });

  it('closes the default security group', () => {
    const groups = Object.values(synthNetwork().resources('aws_default_security_group'));
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ ingress: [], egress: [] });
  });

  it('logs all traffic to a tenant log group through a role only the flow-logs service can assume', () => {
    const { resources } = synthNetwork();
    const [groupId, group] = Object.entries(resources('aws_cloudwatch_log_group'))[0]!;
    expect(group).toMatchObject({ name: '/hafleet/acme/vpc-flow-logs', retention_in_days: 365 });
    expect(group['kms_key_id']).toBeUndefined();

    const [roleId, role] = Object.entries(resources('aws_iam_role'))[0]!;
    expect(policyOf(role, 'assume_role_policy')).toEqual(serviceTrust('vpc-flow-logs.amazonaws.com'));
    const policies = Object.values(resources('aws_iam_role_policy'));
    expect(policies).toHaveLength(1);
    const policy = policies[0]!['policy'] as string;
    expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]');
    expect(policy).toContain(`"Resource" = [aws_cloudwatch_log_group.${groupId}.arn, "\${aws_cloudwatch_log_group.${groupId}.arn}:*"]`);
    expect(policy).not.toContain('"*"');
    expect(Object.keys(resources('aws_iam_role_policy_attachment'))).toHaveLength(0);

    const flowLogs = Object.values(resources('aws_flow_log'));
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0]).toMatchObject({
      traffic_type: 'ALL',
      log_destination_type: 'cloud-watch-logs',
      log_destination: ref('aws_cloudwatch_log_group', groupId, 'arn'),
      iam_role_arn: ref('aws_iam_role', roleId, 'arn'),
      vpc_id: ref('aws_vpc', Object.keys(resources('aws_vpc'))[0]!),
    });
  });

  it('passes the retention and the tenant key to the flow-log group', () => {
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111';
    const group = Object.values(synthNetwork({ flowLogRetentionDays: 90, kmsKeyArn }).resources('aws_cloudwatch_log_group'))[0];
    expect(group).toMatchObject({ retention_in_days: 90, kms_key_id: kmsKeyArn });
  });

  it('exposes the VPC and a placement per tier: its subnets with their zones, in zone order', () => {
    const { resources, outputs } = synthNetwork();
    const subnets = resources('aws_subnet');
    const vpcId = Object.keys(resources('aws_vpc'))[0]!;
    for (const tier of ['public', 'app', 'data']) {
      const expected = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'].map((zone) => ({
        id: ref('aws_subnet', idOf(subnets, `acme-${tier}-${zone}`)),
        zone,
      }));
      expect(outputs[`${tier}Placement`]).toEqual({ vpcId: ref('aws_vpc', vpcId), subnets: expected });
    }
    expect(outputs['vpcId']).toBe(ref('aws_vpc', vpcId));
    expect(outputs['vpcCidr']).toBe(ref('aws_vpc', vpcId, 'cidr_block'));
  });

  it('rejects a subnet list that does not match the zones', () => {
    expect(() =>
      synthNetwork({
        subnets: {
          public: ['10.20.0.0/24'],
          app: ['10.20.4.0/24', '10.20.5.0/24', '10.20.6.0/24'],
          data: ['10.20.8.0/24', '10.20.9.0/24', '10.20.10.0/24'],
        },
      }),
    ).toThrow(/1 public subnet CIDRs for 3 availability zones/);
    expect(() => synthNetwork({ availabilityZones: ['eu-west-1a', 'eu-west-1a', 'eu-west-1b'] })).toThrow(/duplicate availability zones/);
  });
});
