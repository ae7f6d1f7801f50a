import { Network, WebTier } from '@hafleet/ha-modules';
import { subnetLayout, type FleetConfig, type TenantSpec } from '@hafleet/tenant-spec';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { OFFLINE_AWS_PROVIDER_SETTINGS } from '@hafleet/terraform';
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { StackMode } from './mode.js';

export interface TenantStackProps {
  readonly spec: TenantSpec;
  /** Default: offline. */
  readonly mode?: StackMode;
  /** Where remote state lives; required in remote mode. */
  readonly stateBackend?: FleetConfig['stateBackend'];
  /** Offline state file, relative to the stack folder. Default `terraform.tfstate`. */
  readonly localStatePath?: string;
}

/** One tenant's whole, isolated stack. The stack name is the tenant name. */
export class TenantStack extends TerraformStack {
  readonly network: Network;
  readonly webTier: WebTier;

  constructor(scope: Construct, props: TenantStackProps) {
    const { spec } = props;
    const mode = props.mode ?? 'offline';
    super(scope, spec.name);

    new AwsProvider(this, 'aws', {
      region: spec.region,
      defaultTags: [{ tags: { ...spec.tags, tenant: spec.name, 'managed-by': 'hafleet' } }],
      ...(mode === 'offline' ? OFFLINE_AWS_PROVIDER_SETTINGS : {}),
    });
    this.configureBackend(spec.name, mode, props);

    const zones = spec.availabilityZones;
    this.network = new Network(this, 'network', {
      name: spec.name,
      cidr: spec.network.vpcCidr,
      availabilityZones: zones,
      subnets: subnetLayout(spec.network.vpcCidr, zones.length),
      natGateways: spec.network.natGateways,
    });

    this.webTier = new WebTier(this, 'web', {
      name: spec.name,
      vpcId: this.network.vpcId,
      publicSubnetIds: this.network.publicSubnetIds,
      appSubnetIds: this.network.appSubnetIds,
      amiId: spec.app.amiId,
      instanceType: spec.app.instanceType,
      appPort: spec.app.port,
      healthCheckPath: spec.app.healthCheckPath,
      rootVolumeGiB: spec.app.rootVolumeGiB,
      rootDeviceName: spec.app.rootDeviceName,
      minCapacity: spec.web.minCapacity,
      maxCapacity: spec.web.maxCapacity,
      desiredCapacity: spec.web.desiredCapacity,
      cpuTargetPercent: spec.web.cpuTargetPercent,
      healthCheckGraceSeconds: spec.web.healthCheckGraceSeconds,
      minHealthyPercent: spec.web.minHealthyPercent,
      certificateArn: spec.edge.certificateArn,
    });

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpcId });
    new TerraformOutput(this, 'alb_dns_name', { value: this.webTier.albDnsName });
    new TerraformOutput(this, 'web_asg_name', { value: this.webTier.autoScalingGroupName });
  }

  private configureBackend(tenant: string, mode: StackMode, props: TenantStackProps): void {
    if (mode === 'offline') {
      new LocalBackend(this, { path: props.localStatePath ?? 'terraform.tfstate' });
      return;
    }
    const state = props.stateBackend;
    if (!state) throw new Error(`tenant ${tenant}: remote mode needs fleet.json stateBackend — fix: add bucket and region`);
    new S3Backend(this, {
      bucket: state.bucket,
      region: state.region,
      key: `${state.keyPrefix}/${tenant}/terraform.tfstate`,
      encrypt: true,
    });
    // S3-native state locking (Terraform ≥ 1.10); cdktf 0.21 has no typed option for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }
}
