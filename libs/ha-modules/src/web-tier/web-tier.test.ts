import { describe, expect, it } from 'vitest';
import { TerraformOutput } from 'cdktf';
import { Network } from '../network/network.js';
import { CERTIFICATE_ARN, networkProps, webTier } from '../testing/fixtures.js';
import { synthesize, testStack, type SynthResource } from '../testing/offline.js';
import { ALB_TLS_POLICY, type WebTierProps } from './web-tier.js';

const OUTPUTS = [
  'albArn',
  'albDnsName',
  'albArnSuffix',
  'albSecurityGroupId',
  'appSecurityGroupId',
  'targetGroupArn',
  'targetGroupArnSuffix',
  'autoScalingGroupName',
  'launchTemplateId',
  'instanceRoleName',
] as const;

function synthWebTier(overrides: Partial<WebTierProps> = {}) {
  const stack = testStack((scope) => {
    const web = webTier(scope, new Network(scope, 'network', networkProps()), overrides);
    for (const output of OUTPUTS) new TerraformOutput(scope, output, { value: web[output] });
  });
  const { resources, outputs } = synthesize(stack);
  /** The only resource of a type. */
  const single = (type: string): [string, SynthResource] => {
    const entries = Object.entries(resources(type));
    expect(entries, type).toHaveLength(1);
    return entries[0]!;
  };
  return { resources, outputs, single };
}

const ref = (type: string, logicalId: string, attribute = 'id') => `\${${type}.${logicalId}.${attribute}}`;
const byName = (resources: Record<string, SynthResource>, name: string): string => {
  const entry = Object.entries(resources).find(([, r]) => r['name'] === name);
  if (!entry) throw new Error(`no resource named ${name}`);
  return entry[0];
};

describe('WebTier', () => {
  describe('load balancer', () => {
    it('is internet-facing in the public subnets, drops invalid headers and resists deletion', () => {
      const { single, resources } = synthWebTier();
      const [, alb] = single('aws_lb');
      const publicSubnets = Object.entries(resources('aws_subnet'))
        .filter(([, s]) => (s['tags'] as Record<string, string>)['Name']!.startsWith('acme-public-'))
        .map(([id]) => ref('aws_subnet', id));
      expect(alb).toMatchObject({
        name: 'acme-alb',
        load_balancer_type: 'application',
        internal: false,
        drop_invalid_header_fields: true,
        enable_deletion_protection: true,
        security_groups: [ref('aws_security_group', byName(resources('aws_security_group'), 'acme-alb'))],
      });
      expect([...(alb['subnets'] as string[])].sort()).toEqual(publicSubnets.sort());
    });

    it('forwards HTTP to the instances when there is no certificate', () => {
      const { single } = synthWebTier();
      const [, listener] = single('aws_lb_listener');
      const [targetGroupId] = single('aws_lb_target_group');
      expect(listener).toMatchObject({
        port: 80,
        protocol: 'HTTP',
        default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', targetGroupId, 'arn') }],
      });
      expect(listener['ssl_policy']).toBeUndefined();
    });

    it('serves HTTPS with a TLS 1.2+ policy and redirects HTTP when given a certificate', () => {
      const { resources, single } = synthWebTier({ certificateArn: CERTIFICATE_ARN });
      const [targetGroupId] = single('aws_lb_target_group');
      const listeners = Object.values(resources('aws_lb_listener'));
      expect(listeners).toHaveLength(2);
      expect(listeners.find((l) => l['port'] === 443)).toMatchObject({
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificate_arn: CERTIFICATE_ARN,
        default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group', targetGroupId, 'arn') }],
      });
      expect(listeners.find((l) => l['port'] === 80)).toMatchObject({
        protocol: 'HTTP',
        default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
      });
      expect(ALB_TLS_POLICY).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    });

    it('health-checks the instances on the application port and path', () => {
      const [, targetGroup] = synthWebTier({ appPort: 8080, healthCheckPath: '/login/index.php' }).single('aws_lb_target_group');
      expect(targetGroup).toMatchObject({
        name: 'acme-web',
        port: 8080,
        protocol: 'HTTP',
        target_type: 'instance',
        deregistration_delay: '45',
        health_check: { enabled: true, path: '/login/index.php', matcher: '200-399', port: 'traffic-port', protocol: 'HTTP' },
      });
    });

    it('keeps load balancer and target group names within 32 characters for the longest tenant names', () => {
      const name = 'a-very-long-tenant-name-of-32-ch';
      expect(name).toHaveLength(32);
      const { single } = synthWebTier({ name });
      for (const type of ['aws_lb', 'aws_lb_target_group']) {
        const resourceName = single(type)[1]['name'] as string;
        expect(resourceName.length, type).toBeLessThanOrEqual(32);
        expect(resourceName).toMatch(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
      }
    });
  });

  describe('security groups', () => {
    const rules = (overrides: Partial<WebTierProps> = {}) => {
      const { resources } = synthWebTier({ appPort: 8080, ...overrides });
      const groups = resources('aws_security_group');
      const alb = ref('aws_security_group', byName(groups, 'acme-alb'));
      const app = ref('aws_security_group', byName(groups, 'acme-app'));
      const strip = (rule: SynthResource) => {
        const { description: _description, ...rest } = rule;
        return rest;
      };
      return {
        groups: Object.values(groups),
        alb,
        app,
        ingress: Object.values(resources('aws_vpc_security_group_ingress_rule')).map(strip),
        egress: Object.values(resources('aws_vpc_security_group_egress_rule')).map(strip),
      };
    };

    it('opens only 80 and 443 from the internet, and only on the load balancer', () => {
      const { alb, ingress } = rules();
      const fromInternet = ingress.filter((r) => r['cidr_ipv4'] || r['cidr_ipv6']);
      expect(fromInternet).toHaveLength(4);
      expect(fromInternet.every((r) => r['security_group_id'] === alb)).toBe(true);
      expect(fromInternet.map((r) => `${r['from_port']}-${r['to_port']} ${r['cidr_ipv4'] ?? r['cidr_ipv6']}`).sort()).toEqual([
        '443-443 0.0.0.0/0',
        '443-443 ::/0',
        '80-80 0.0.0.0/0',
        '80-80 ::/0',
      ]);
    });

    it('lets the instances hear the load balancer only, on the application port', () => {
      const { alb, app, ingress, egress } = rules();
      expect(ingress.filter((r) => r['security_group_id'] === app)).toEqual([
        { security_group_id: app, referenced_security_group_id: alb, ip_protocol: 'tcp', from_port: 8080, to_port: 8080 },
      ]);
      expect(egress.filter((r) => r['security_group_id'] === alb)).toEqual([
        { security_group_id: alb, referenced_security_group_id: app, ip_protocol: 'tcp', from_port: 8080, to_port: 8080 },
      ]);
    });

    it('lets the instances out on 443 only', () => {
      const { app, egress } = rules();
      expect(egress.filter((r) => r['security_group_id'] === app)).toEqual([
        { security_group_id: app, cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 },
      ]);
    });

    it('has no SSH, no inline rules and no other rules anywhere', () => {
      const { groups, ingress, egress } = rules({ appPort: 80 });
      expect(ingress).toHaveLength(5);
      expect(egress).toHaveLength(2);
      for (const rule of [...ingress, ...egress]) {
        expect(rule['ip_protocol']).toBe('tcp');
        expect(22 >= (rule['from_port'] as number) && 22 <= (rule['to_port'] as number)).toBe(false);
      }
      for (const group of groups) {
        expect(group['ingress']).toBeUndefined();
        expect(group['egress']).toBeUndefined();
      }
    });
  });

  describe('instances', () => {
    it('grants the instance role nothing but SSM', () => {
      const { resources, single } = synthWebTier();
      const roles = Object.values(resources('aws_iam_role')).filter((r) => r['name'] === 'acme-web-instance');
      expect(roles).toHaveLength(1);
      expect(JSON.parse(roles[0]!['assume_role_policy'] as string)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
      const roleId = byName(resources('aws_iam_role'), 'acme-web-instance');
      expect(Object.values(resources('aws_iam_role_policy_attachment'))).toEqual([
        { role: ref('aws_iam_role', roleId, 'name'), policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
      ]);
      const inline = Object.values(resources('aws_iam_role_policy')).filter((p) => p['role'] === ref('aws_iam_role', roleId));
      expect(inline).toEqual([]);
      expect(single('aws_iam_instance_profile')[1]).toMatchObject({ role: ref('aws_iam_role', roleId, 'name') });
    });

    it('launches with IMDSv2 only, an encrypted gp3 root volume and no key pair', () => {
      const { resources, single } = synthWebTier();
      const [, template] = single('aws_launch_template');
      const [profileId] = single('aws_iam_instance_profile');
      expect(template).toMatchObject({
        image_id: 'ami-0123456789abcdef0',
        instance_type: 't3.medium',
        metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
        block_device_mappings: [
          { device_name: '/dev/xvda', ebs: { volume_type: 'gp3', volume_size: 30, encrypted: 'true', delete_on_termination: 'true' } },
        ],
        iam_instance_profile: { arn: ref('aws_iam_instance_profile', profileId, 'arn') },
        vpc_security_group_ids: [ref('aws_security_group', byName(resources('aws_security_group'), 'acme-app'))],
        update_default_version: true,
        monitoring: { enabled: true },
        tag_specifications: [
          { resource_type: 'instance', tags: { Name: 'acme-web' } },
          { resource_type: 'volume', tags: { Name: 'acme-web' } },
        ],
      });
      expect(template).not.toHaveProperty('key_name');
      expect(template).not.toHaveProperty('user_data');
      expect((template['block_device_mappings'] as SynthResource[])[0]!['ebs']).not.toHaveProperty('kms_key_id');
    });

    it('encrypts the root volume with the tenant key when given', () => {
      const kmsKeyArn = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111';
      const [, template] = synthWebTier({ kmsKeyArn, rootVolumeGiB: 50, rootDeviceName: '/dev/sda1' }).single('aws_launch_template');
      expect(template['block_device_mappings']).toEqual([
        {
          device_name: '/dev/sda1',
          ebs: { volume_type: 'gp3', volume_size: 50, encrypted: 'true', kms_key_id: kmsKeyArn, delete_on_termination: 'true' },
        },
      ]);
    });
  });

  describe('auto scaling group', () => {
    it('runs on a pinned template version in the app subnets, health-checked by the load balancer', () => {
      const { resources, single } = synthWebTier();
      const [, asg] = single('aws_autoscaling_group');
      const [templateId] = single('aws_launch_template');
      const [targetGroupId] = single('aws_lb_target_group');
      const appSubnets = Object.entries(resources('aws_subnet'))
        .filter(([, s]) => (s['tags'] as Record<string, string>)['Name']!.startsWith('acme-app-'))
        .map(([id]) => ref('aws_subnet', id));
      expect(asg).toMatchObject({
        min_size: 2,
        max_size: 6,
        desired_capacity: 2,
        health_check_type: 'ELB',
        health_check_grace_period: 300,
        target_group_arns: [ref('aws_lb_target_group', targetGroupId, 'arn')],
        launch_template: {
          id: ref('aws_launch_template', templateId),
          version: ref('aws_launch_template', templateId, 'latest_version'),
        },
        tag: [{ key: 'Name', value: 'acme-web', propagate_at_launch: true }],
      });
      expect([...(asg['vpc_zone_identifier'] as string[])].sort()).toEqual(appSubnets.sort());
      expect(asg['enabled_metrics']).toContain('GroupInServiceInstances');
    });

    it('rolls new templates out by a rolling refresh that keeps 90 % healthy and rolls back on failure', () => {
      const [, asg] = synthWebTier().single('aws_autoscaling_group');
      expect(asg['instance_refresh']).toEqual({
        strategy: 'Rolling',
        preferences: { min_healthy_percentage: 90, instance_warmup: '300', auto_rollback: true, skip_matching: true },
      });
    });

    it('applies the capacity and refresh settings it is given', () => {
      const { single } = synthWebTier({ minCapacity: 3, maxCapacity: 9, desiredCapacity: 4, healthCheckGraceSeconds: 600, minHealthyPercent: 100 });
      const [, asg] = single('aws_autoscaling_group');
      expect(asg).toMatchObject({ min_size: 3, max_size: 9, desired_capacity: 4, health_check_grace_period: 600 });
      expect(asg['instance_refresh']).toMatchObject({ preferences: { min_healthy_percentage: 100, instance_warmup: '600' } });
    });

    it('leaves the running capacity to the scaling policy after creation', () => {
      const [, asg] = synthWebTier().single('aws_autoscaling_group');
      expect(asg['lifecycle']).toEqual({ ignore_changes: ['desired_capacity'] });
    });

    it('tracks the average CPU of the group', () => {
      for (const [overrides, target] of [[{}, 50], [{ cpuTargetPercent: 65 }, 65]] as const) {
        const { single } = synthWebTier(overrides);
        const [, policy] = single('aws_autoscaling_policy');
        const [asgId] = single('aws_autoscaling_group');
        expect(policy).toMatchObject({
          autoscaling_group_name: ref('aws_autoscaling_group', asgId, 'name'),
          policy_type: 'TargetTrackingScaling',
          target_tracking_configuration: {
            predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' },
            target_value: target,
          },
        });
      }
    });
  });

  it('exposes its outputs as references to the resources', () => {
    const { outputs, single } = synthWebTier();
    const [albId] = single('aws_lb');
    const [targetGroupId] = single('aws_lb_target_group');
    const [asgId] = single('aws_autoscaling_group');
    const [templateId] = single('aws_launch_template');
    expect(outputs).toMatchObject({
      albArn: ref('aws_lb', albId, 'arn'),
      albDnsName: ref('aws_lb', albId, 'dns_name'),
      albArnSuffix: ref('aws_lb', albId, 'arn_suffix'),
      targetGroupArn: ref('aws_lb_target_group', targetGroupId, 'arn'),
      targetGroupArnSuffix: ref('aws_lb_target_group', targetGroupId, 'arn_suffix'),
      autoScalingGroupName: ref('aws_autoscaling_group', asgId, 'name'),
      launchTemplateId: ref('aws_launch_template', templateId),
    });
    expect(outputs['albSecurityGroupId']).toMatch(/^\$\{aws_security_group\.web_alb-security-group_\w+\.id\}$/);
    expect(outputs['appSecurityGroupId']).toMatch(/^\$\{aws_security_group\.web_app-security-group_\w+\.id\}$/);
    expect(outputs['instanceRoleName']).toMatch(/^\$\{aws_iam_role\.web_instance-role_\w+\.name\}$/);
  });

  it('rejects inconsistent capacities and settings', () => {
    expect(() => synthWebTier({ minCapacity: 2, maxCapacity: 4, desiredCapacity: 5 })).toThrow(/desiredCapacity must lie between/);
    expect(() => synthWebTier({ minCapacity: 3, maxCapacity: 2 })).toThrow(/maxCapacity must be ≥ minCapacity/);
    expect(() => synthWebTier({ healthCheckPath: 'health' })).toThrow(/healthCheckPath must start with/);
    expect(() => synthWebTier({ minHealthyPercent: 120 })).toThrow(/minHealthyPercent/);
  });
});
