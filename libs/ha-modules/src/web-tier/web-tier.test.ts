import { describe, expect, it } from 'vitest';
import { Network } from '../network/network.js';
import type { SubnetPlacement } from '../network/placement.js';
import { networkProps, subnetRefs, webTier } from '../testing/fixtures.js';
import { policyOf, serviceTrust } from '../testing/policy.js';
import { securityGroupRules } from '../testing/security-group-rules.js';
import { addOutputs, ref, synthesize, testStack, type SynthResource } from '../testing/synth.js';
import { ACCESS_LOG_BUCKET, CERTIFICATE_ARN, KMS_KEY_ARN } from '../testing/values.js';
import { ALB_TLS_POLICY, WebTier, type WebTierProps } from './web-tier.js';

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
  'instanceRoleArn',
] as const;

const SECRET = 'c0ffee00-1234-5678-9abc-def012345678';

function synthWebTier(overrides: Partial<WebTierProps> = {}, extend?: (web: WebTier) => void) {
  return synthesize(
    testStack((scope) => {
      const web = webTier(scope, new Network(scope, 'network', networkProps()), overrides);
      addOutputs(scope, web, OUTPUTS);
      extend?.(web);
    }),
  );
}

const byName = (resources: Record<string, SynthResource>, name: string): string => {
  const entry = Object.entries(resources).find(([, r]) => r['name'] === name);
  if (!entry) throw new Error(`no resource named ${name}`);
  return entry[0];
};

describe('WebTier', () => {
  describe('load balancer', () => {
    it('is internet-facing in the public subnets, drops invalid headers and resists deletion', () => {
      const synth = synthWebTier();
      const { single, resources } = synth;
      const [, alb] = single('aws_lb');
      const publicSubnets = subnetRefs(synth, 'public');
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

    it('writes access logs to the given bucket, under "alb" unless told otherwise', () => {
      expect(synthWebTier().single('aws_lb')[1]['access_logs']).toEqual({ bucket: ACCESS_LOG_BUCKET, prefix: 'alb', enabled: true });
      const [, alb] = synthWebTier({ accessLogs: { bucketName: 'other-logs', prefix: 'tenants/acme' } }).single('aws_lb');
      expect(alb['access_logs']).toEqual({ bucket: 'other-logs', prefix: 'tenants/acme', enabled: true });
    });

    const listeners = (overrides: Partial<WebTierProps> = {}) => {
      const { resources, single } = synthWebTier(overrides);
      const all = Object.entries(resources('aws_lb_listener'));
      expect(all).toHaveLength(2);
      const byPort = (port: number) => all.find(([, l]) => l['port'] === port)!;
      return {
        resources,
        https: byPort(443),
        http: byPort(80),
        targetGroupArn: ref('aws_lb_target_group', single('aws_lb_target_group')[0], 'arn'),
      };
    };

    it('always redirects HTTP to HTTPS', () => {
      const { http } = listeners();
      expect(http[1]).toEqual({
        load_balancer_arn: expect.stringMatching(/^\$\{aws_lb\.web_alb_\w+\.arn\}$/),
        port: 80,
        protocol: 'HTTP',
        default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
      });
    });

    it('serves HTTPS with the certificate and a TLS 1.2+ policy, forwarding when there is no origin secret', () => {
      const { https, targetGroupArn, resources } = listeners();
      expect(https[1]).toMatchObject({
        protocol: 'HTTPS',
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        certificate_arn: CERTIFICATE_ARN,
        default_action: [{ type: 'forward', target_group_arn: targetGroupArn }],
      });
      expect(resources('aws_lb_listener_rule')).toEqual({});
      expect(ALB_TLS_POLICY).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    });

    it('with an origin secret, forwards only requests carrying it and answers 403 to the rest', () => {
      const { https, targetGroupArn, resources } = listeners({ originVerify: { headerName: 'X-Origin-Verify', secret: SECRET } });
      expect(https[1]['default_action']).toEqual([
        { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '403', message_body: 'Forbidden' } },
      ]);
      const rules = Object.values(resources('aws_lb_listener_rule'));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        listener_arn: ref('aws_lb_listener', https[0], 'arn'),
        priority: 1,
        condition: [{ http_header: { http_header_name: 'X-Origin-Verify', values: [SECRET] } }],
        action: [{ type: 'forward', target_group_arn: targetGroupArn }],
      });
    });

    it('refuses origin secrets the load balancer would match loosely or not at all', () => {
      const verify = (headerName: string, secret: string) => () => synthWebTier({ originVerify: { headerName, secret } });
      expect(verify('X-Origin-Verify', 'abc*def-0123456789')).toThrow(/originVerify.secret must be 16-128 characters without "\*" or "\?"/);
      expect(verify('X-Origin-Verify', 'short')).toThrow(/originVerify.secret/);
      expect(verify('X-Origin-Verify', 'x'.repeat(129))).toThrow(/originVerify.secret/);
      expect(verify('X Origin: Verify', SECRET)).toThrow(/originVerify.headerName/);
    });

    it('health-checks the instances on the application port and path', () => {
      const [, targetGroup] = synthWebTier({ appPort: 8080, healthCheckPath: '/login/index.php' }).single('aws_lb_target_group');
      expect(targetGroup).toMatchObject({
        name: 'acme-web',
        port: 8080,
        protocol: 'HTTP',
        target_type: 'instance',
        health_check: { enabled: true, path: '/login/index.php', matcher: '200-399', port: 'traffic-port', protocol: 'HTTP' },
      });
      // Long enough for in-flight requests, short enough for quick rolling refreshes.
      const delay = Number(targetGroup['deregistration_delay']);
      expect(delay).toBeGreaterThanOrEqual(30);
      expect(delay).toBeLessThanOrEqual(60);
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
      const synth = synthWebTier({ appPort: 8080, ...overrides });
      const groups = synth.resources('aws_security_group');
      const alb = ref('aws_security_group', byName(groups, 'acme-alb'));
      const app = ref('aws_security_group', byName(groups, 'acme-web'));
      return { groups: Object.values(groups), alb, app, ...securityGroupRules(synth) };
    };

    it("behind CloudFront, admits HTTPS from CloudFront's origin-facing prefix list only, and has no port 80", () => {
      const originVerify = { headerName: 'X-Origin-Verify', secret: 'a-long-enough-origin-secret' };
      const { alb, ingress } = rules({ originPrefixListId: 'pl-4fa04526', originVerify });
      expect(ingress.filter((r) => r['security_group_id'] === alb)).toEqual([
        { security_group_id: alb, ip_protocol: 'tcp', from_port: 443, to_port: 443, prefix_list_id: 'pl-4fa04526' },
      ]);
      const listeners = Object.values(synthWebTier({ originPrefixListId: 'pl-4fa04526', originVerify }).resources('aws_lb_listener'));
      expect(listeners.map((l) => l['port'])).toEqual([443]);
      expect(() => synthWebTier({ originPrefixListId: 'pl-4fa04526' })).toThrow(/originPrefixListId needs originVerify/);
      expect(() => synthWebTier({ originPrefixListId: 'sg-123', originVerify })).toThrow(/originPrefixListId must be a prefix list id/);
    });

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
      expect(policyOf(roles[0]!, 'assume_role_policy')).toEqual(serviceTrust('ec2.amazonaws.com'));
      const roleId = byName(resources('aws_iam_role'), 'acme-web-instance');
      expect(Object.values(resources('aws_iam_role_policy_attachment'))).toEqual([
        { role: ref('aws_iam_role', roleId, 'name'), policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
      ]);
      const inline = Object.values(resources('aws_iam_role_policy')).filter((p) => p['role'] === ref('aws_iam_role', roleId));
      expect(inline).toEqual([]);
      expect(single('aws_iam_instance_profile')[1]).toMatchObject({ role: ref('aws_iam_role', roleId, 'name') });
    });

    it('launches with IMDSv2 only, a gp3 root volume encrypted with the tenant key and no key pair', () => {
      const { resources, single } = synthWebTier();
      const [, template] = single('aws_launch_template');
      const [profileId] = single('aws_iam_instance_profile');
      expect(template).toMatchObject({
        name: 'acme-web',
        image_id: 'ami-0123456789abcdef0',
        instance_type: 't3.medium',
        metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
        block_device_mappings: [
          {
            device_name: '/dev/xvda',
            ebs: { volume_type: 'gp3', volume_size: 30, encrypted: 'true', kms_key_id: KMS_KEY_ARN, delete_on_termination: 'true' },
          },
        ],
        iam_instance_profile: { arn: ref('aws_iam_instance_profile', profileId, 'arn') },
        vpc_security_group_ids: [ref('aws_security_group', byName(resources('aws_security_group'), 'acme-web'))],
        update_default_version: true,
        monitoring: { enabled: true },
        tag_specifications: [
          { resource_type: 'instance', tags: { Name: 'acme-web' } },
          { resource_type: 'volume', tags: { Name: 'acme-web' } },
        ],
      });
      expect(template).not.toHaveProperty('key_name');
      expect(template).not.toHaveProperty('user_data');
    });

    it('passes the root volume and user data settings to the template', () => {
      const userData = Buffer.from('#!/bin/bash\necho web\n').toString('base64');
      const [, template] = synthWebTier({ rootVolumeGiB: 50, rootDeviceName: '/dev/sda1', userData }).single('aws_launch_template');
      expect(template['user_data']).toBe(userData);
      expect(template['block_device_mappings']).toEqual([
        {
          device_name: '/dev/sda1',
          ebs: { volume_type: 'gp3', volume_size: 50, encrypted: 'true', kms_key_id: KMS_KEY_ARN, delete_on_termination: 'true' },
        },
      ]);
    });

    it('adds least-privilege inline policies to the instance role on request', () => {
      const { resources } = synthWebTier({}, (web) =>
        web.addInstancePolicy('read-content', [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-content/*'] }]),
      );
      const roleId = byName(resources('aws_iam_role'), 'acme-web-instance');
      const policies = Object.values(resources('aws_iam_role_policy')).filter((p) => p['role'] === ref('aws_iam_role', roleId));
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({ name: 'read-content', role: ref('aws_iam_role', roleId) });
      expect(policyOf(policies[0]!)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::acme-content/*'] }],
      });
    });
  });

  describe('auto scaling group', () => {
    it('runs on a pinned template version in the app subnets, health-checked by the load balancer', () => {
      const synth = synthWebTier();
      const { single } = synth;
      const [, asg] = single('aws_autoscaling_group');
      const [templateId] = single('aws_launch_template');
      const [targetGroupId] = single('aws_lb_target_group');
      const appSubnets = subnetRefs(synth, 'app');
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

    it('rolls new templates out by a rolling refresh that launches before it terminates (100–150 %) and rolls back on failure', () => {
      const [, asg] = synthWebTier().single('aws_autoscaling_group');
      expect(asg['instance_refresh']).toEqual({
        strategy: 'Rolling',
        preferences: {
          min_healthy_percentage: 100,
          max_healthy_percentage: 150,
          instance_warmup: '300',
          auto_rollback: true,
          skip_matching: true,
        },
      });
    });

    it('refuses a refresh that would terminate before it launches', () => {
      expect(() => synthWebTier({ maxHealthyPercent: 100 })).toThrow(/maxHealthyPercent must be in \(100, 200\]/);
      expect(() => synthWebTier({ minHealthyPercent: 90, maxHealthyPercent: 200 })).toThrow(/at most 100 above minHealthyPercent/);
    });

    it('sizes the idle timeout and deregistration delay for the longest legitimate request', () => {
      const { single } = synthWebTier({ idleTimeoutSeconds: 900, deregistrationDelaySeconds: 300 });
      expect(single('aws_lb')[1]['idle_timeout']).toBe(900);
      expect(single('aws_lb_target_group')[1]['deregistration_delay']).toBe('300');
    });

    it('applies the capacity and refresh settings it is given', () => {
      const { single } = synthWebTier({
        minCapacity: 3,
        maxCapacity: 9,
        desiredCapacity: 4,
        healthCheckGraceSeconds: 600,
        minHealthyPercent: 100,
      });
      const [, asg] = single('aws_autoscaling_group');
      expect(asg).toMatchObject({ min_size: 3, max_size: 9, desired_capacity: 4, health_check_grace_period: 600 });
      expect(asg['instance_refresh']).toMatchObject({ preferences: { min_healthy_percentage: 100, instance_warmup: '600' } });
    });

    it('leaves the running capacity to the scaling policy after creation', () => {
      const [, asg] = synthWebTier().single('aws_autoscaling_group');
      expect(asg['lifecycle']).toEqual({ ignore_changes: ['desired_capacity'] });
    });

    it('tracks the average CPU of the group', () => {
      for (const [overrides, target] of [
        [{}, 50],
        [{ cpuTargetPercent: 65 }, 65],
      ] as const) {
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

    it('also tracks requests per instance when told the target: the label names this load balancer and target group', () => {
      const { resources, single } = synthWebTier({ requestsPerTargetPerMinute: 1200 });
      const [asgId] = single('aws_autoscaling_group');
      const [albId] = single('aws_lb');
      const [targetGroupId] = single('aws_lb_target_group');
      const policies = Object.values(resources('aws_autoscaling_policy'));
      expect(
        policies.map((p) => (p['target_tracking_configuration'] as any).predefined_metric_specification.predefined_metric_type),
      ).toEqual(['ASGAverageCPUUtilization', 'ALBRequestCountPerTarget']);
      expect(policies[1]).toMatchObject({
        name: 'acme-web-requests-target',
        autoscaling_group_name: ref('aws_autoscaling_group', asgId, 'name'),
        policy_type: 'TargetTrackingScaling',
        estimated_instance_warmup: 300,
        target_tracking_configuration: {
          predefined_metric_specification: {
            predefined_metric_type: 'ALBRequestCountPerTarget',
            resource_label: `${ref('aws_lb', albId, 'arn_suffix')}/${ref('aws_lb_target_group', targetGroupId, 'arn_suffix')}`,
          },
          target_value: 1200,
        },
      });
    });

    it('refuses a request target that is not a whole number of requests', () => {
      expect(() => synthWebTier({ requestsPerTargetPerMinute: 0 })).toThrow(/requestsPerTargetPerMinute must be a whole number ≥ 1, got 0/);
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
    expect(outputs['appSecurityGroupId']).toMatch(/^\$\{aws_security_group\.web_instances_security-group_\w+\.id\}$/);
    expect(outputs['instanceRoleName']).toMatch(/^\$\{aws_iam_role\.web_instances_instance-role_\w+\.name\}$/);
    expect(outputs['instanceRoleArn']).toMatch(/^\$\{aws_iam_role\.web_instances_instance-role_\w+\.arn\}$/);
  });

  it('rejects inconsistent capacities and settings', () => {
    expect(() => synthWebTier({ minCapacity: 2, maxCapacity: 4, desiredCapacity: 5 })).toThrow(/desiredCapacity must lie between/);
    expect(() => synthWebTier({ minCapacity: 3, maxCapacity: 2 })).toThrow(/maxCapacity must be ≥ minCapacity/);
    expect(() => synthWebTier({ healthCheckPath: 'health' })).toThrow(/healthCheckPath must start with/);
    expect(() => synthWebTier({ minHealthyPercent: 120 })).toThrow(/minHealthyPercent/);
    expect(() => synthWebTier({ accessLogs: { bucketName: ACCESS_LOG_BUCKET, prefix: '/alb' } })).toThrow(/accessLogs.prefix/);
    expect(() => synthWebTier({ accessLogs: { bucketName: ACCESS_LOG_BUCKET, prefix: 'AWSLogs/alb' } })).toThrow(/accessLogs.prefix/);
  });

  it('needs the load balancer and the instances each in at least two zones, of one VPC', () => {
    const synthOn = (overrides: (network: Network) => Partial<WebTierProps>) => () =>
      testStack((scope) => {
        const network = new Network(scope, 'network', networkProps());
        webTier(scope, network, overrides(network));
      });
    const firstZoneOnly = (placement: SubnetPlacement) => ({ ...placement, subnets: placement.subnets.slice(0, 1) });
    expect(synthOn((network) => ({ loadBalancerPlacement: firstZoneOnly(network.publicPlacement) }))).toThrow(
      'WebTier acme: loadBalancerPlacement needs subnets in at least 2 zones, got 1 (eu-west-1a); give the public subnets (Network.publicPlacement)',
    );
    expect(synthOn((network) => ({ placement: firstZoneOnly(network.appPlacement) }))).toThrow(
      'WebTier acme: placement needs subnets in at least 2 zones, got 1 (eu-west-1a); give the app subnets (Network.appPlacement)',
    );
    expect(synthOn((network) => ({ loadBalancerPlacement: { ...network.publicPlacement, vpcId: 'vpc-0fedcba9876543210' } }))).toThrow(
      'WebTier acme: loadBalancerPlacement and placement must be in the same VPC',
    );
    expect(synthOn(() => ({}))).not.toThrow();
  });
});
