import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { serviceTrustPolicy } from '../iam.js';
import type { SubnetPlacement } from './placement.js';

export type NatGatewayMode = 'per-az' | 'single';

export interface NetworkSubnets {
  /** Public subnets (ALB, NAT gateways), one CIDR per zone, in zone order. */
  readonly public: string[];
  /** Private application subnets (web/app instances), one CIDR per zone, in zone order. */
  readonly app: string[];
  /** Private data subnets (database, cache, file system), one CIDR per zone, in zone order. */
  readonly data: string[];
}

export interface NetworkProps {
  /** Tenant name: prefix of every Name tag and of the flow-log group. */
  readonly name: string;
  /** The VPC's region: names the S3 gateway endpoint's service. */
  readonly region: string;
  /** VPC CIDR block. */
  readonly cidr: string;
  /** Availability zones, e.g. `['eu-west-1a', 'eu-west-1b']`. */
  readonly availabilityZones: string[];
  /** Subnet CIDRs carved by the caller, one per zone and tier. */
  readonly subnets: NetworkSubnets;
  /**
   * `per-az`: one NAT gateway per zone, so losing a zone never cuts the others off the internet.
   * `single`: one NAT gateway in the first zone, cheaper, for small tenants.
   * @default 'per-az'
   */
  readonly natGateways?: NatGatewayMode;
  /** Days the CloudWatch flow-log group keeps its logs (not used with `flowLogBucket`). @default 365 */
  readonly flowLogRetentionDays?: number;
  /** KMS key for the flow-log group. @default the CloudWatch Logs service key */
  readonly kmsKeyArn?: string;
  /**
   * Deliver the flow logs to this S3 bucket and prefix instead of a CloudWatch log group: a tenth
   * of the price per GB, and the bucket's lifecycle decides how long they are kept (`LogBucket`
   * `flowLogs`). The bucket policy must let `delivery.logs.amazonaws.com` write there.
   * @default a CloudWatch log group
   */
  readonly flowLogBucket?: { readonly arn: string; readonly prefix: string };
}

const ANYWHERE = '0.0.0.0/0';
const TIERS = ['public', 'app', 'data'] as const;
type Tier = (typeof TIERS)[number];

/**
 * A tenant VPC over 2–3 zones: public, private-app and private-data subnets, NAT per zone (or one),
 * a data tier with no route to the internet, VPC flow logs, and the default security group closed.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The public subnets, in zone order: the load balancer's (the NAT gateways are already there). */
  readonly publicPlacement: SubnetPlacement;
  /** The private application subnets, in zone order: instances, the file system's mount targets, interface endpoints. */
  readonly appPlacement: SubnetPlacement;
  /** The private data subnets, in zone order, with no route to the internet: database and caches. */
  readonly dataPlacement: SubnetPlacement;
  readonly natGatewayCount: number;
  /** One per NAT gateway, in zone order: the list's length is known at synthesis. */
  readonly natGatewayIds: string[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validate(props);
    const { name, availabilityZones: zones } = props;
    const natMode = props.natGateways ?? 'per-az';
    const tags = (suffix: string) => ({ Name: `${name}-${suffix}` });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags('vpc'),
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = this.vpc.cidrBlock;

    // Removing every rule of the default security group means nothing can silently use it.
    new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: tags('default-closed'),
    });

    const igw = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpc.id, tags: tags('igw') });

    const subnet = (tier: Tier, zone: string, cidrBlock: string) =>
      new Subnet(this, `${tier}-subnet-${zone}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone,
        cidrBlock,
        mapPublicIpOnLaunch: false,
        tags: tags(`${tier}-${zone}`),
      });
    const associate = (tier: Tier, zone: string, subnetId: string, routeTableId: string) =>
      new RouteTableAssociation(this, `${tier}-route-table-association-${zone}`, { subnetId, routeTableId });

    // validate() guarantees one CIDR per zone in every tier.
    const perZone = zones.map((zone, i) => ({
      zone,
      public: subnet('public', zone, props.subnets.public[i]!),
      app: subnet('app', zone, props.subnets.app[i]!),
      data: subnet('data', zone, props.subnets.data[i]!),
    }));

    const publicRouteTable = new RouteTable(this, 'public-route-table', { vpcId: this.vpc.id, tags: tags('public') });
    new Route(this, 'public-internet-route', {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: igw.id,
    });

    const natZones = natMode === 'single' ? perZone.slice(0, 1) : perZone;
    const natByZone = new Map(
      natZones.map(({ zone, public: publicSubnet }) => {
        const eip = new Eip(this, `nat-eip-${zone}`, { domain: 'vpc', tags: tags(`nat-${zone}`), dependsOn: [igw] });
        const nat = new NatGateway(this, `nat-gateway-${zone}`, {
          allocationId: eip.allocationId,
          subnetId: publicSubnet.id,
          tags: tags(`nat-${zone}`),
          dependsOn: [igw],
        });
        return [zone, nat] as const;
      }),
    );
    const sharedNat = natByZone.get(zones[0]!)!;

    // The data tier never reaches the internet: its route table only has the VPC's local route.
    const dataRouteTable = new RouteTable(this, 'data-route-table', { vpcId: this.vpc.id, tags: tags('data') });

    const appRouteTableIds: string[] = [];
    for (const { zone, public: publicSubnet, app, data } of perZone) {
      // One app route table per zone, so that each zone leaves through its own NAT gateway.
      const appRouteTable = new RouteTable(this, `app-route-table-${zone}`, { vpcId: this.vpc.id, tags: tags(`app-${zone}`) });
      new Route(this, `app-nat-route-${zone}`, {
        routeTableId: appRouteTable.id,
        destinationCidrBlock: ANYWHERE,
        natGatewayId: (natByZone.get(zone) ?? sharedNat).id,
      });
      associate('public', zone, publicSubnet.id, publicRouteTable.id);
      associate('app', zone, app.id, appRouteTable.id);
      associate('data', zone, data.id, dataRouteTable.id);
      appRouteTableIds.push(appRouteTable.id);
    }

    // The instances reach S3 (content, packages, SSM's buckets) without the NAT gateway's per-GB
    // processing charge. Its default policy stays: AWS-owned buckets (package repositories, SSM
    // agent updates) must stay reachable, and the instance role already limits the tenant's own access.
    new VpcEndpoint(this, 's3-gateway-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: appRouteTableIds,
      tags: tags('s3'),
    });

    if (props.flowLogBucket) this.createS3FlowLogs(name, props.flowLogBucket);
    else this.createFlowLogs(name, props.flowLogRetentionDays ?? 365, props.kmsKeyArn);

    const placement = (tier: Tier): SubnetPlacement => ({
      vpcId: this.vpcId,
      subnets: perZone.map((z) => ({ id: z[tier].id, zone: z.zone })),
    });
    this.publicPlacement = placement('public');
    this.appPlacement = placement('app');
    this.dataPlacement = placement('data');
    this.natGatewayCount = natByZone.size;
    this.natGatewayIds = [...natByZone.values()].map((nat) => nat.id);
  }

  /** Flow logs to S3: delivered by the log delivery service under `<prefix>AWSLogs/<account>/`, no role needed. */
  private createS3FlowLogs(name: string, bucket: { arn: string; prefix: string }): void {
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 's3',
      logDestination: `${bucket.arn}/${bucket.prefix.slice(0, -1)}`,
      tags: { Name: `${name}-vpc-flow-logs` },
    });
  }

  private createFlowLogs(name: string, retentionInDays: number, kmsKeyArn: string | undefined): void {
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/hafleet/${name}/vpc-flow-logs`,
      retentionInDays,
      kmsKeyId: kmsKeyArn,
      tags: { Name: `${name}-vpc-flow-logs` },
    });
    const role = new IamRole(this, 'flow-log-role', {
      name: `${name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com'),
      tags: { Name: `${name}-vpc-flow-logs` },
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      name: 'write-vpc-flow-logs',
      role: role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            // The provider strips the `:*` suffix from the group ARN; streams need it back.
            Resource: [logGroup.arn, `${logGroup.arn}:*`],
          },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: { Name: `${name}-vpc-flow-logs` },
    });
  }
}

function validate(props: NetworkProps): void {
  const zones = props.availabilityZones;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(props.region))
    throw new Error(`Network ${props.name}: region must be an AWS region like "eu-west-1", got "${props.region}"`);
  const prefix = props.flowLogBucket?.prefix;
  if (prefix !== undefined && !/^[a-z0-9-]+\/$/.test(prefix))
    throw new Error(`Network ${props.name}: flowLogBucket.prefix must be letters, digits or "-" ending in "/", got "${prefix}"`);
  if (zones.length === 0) throw new Error(`Network ${props.name}: at least one availability zone is required`);
  if (new Set(zones).size !== zones.length) throw new Error(`Network ${props.name}: duplicate availability zones ${zones.join(', ')}`);
  for (const tier of TIERS) {
    const cidrs = props.subnets[tier];
    if (cidrs.length !== zones.length) {
      throw new Error(
        `Network ${props.name}: ${cidrs.length} ${tier} subnet CIDRs for ${zones.length} availability zones; give one per zone`,
      );
    }
  }
}
