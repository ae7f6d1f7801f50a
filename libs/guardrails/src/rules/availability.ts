import { fail, notApplicable, pass, verdictOf, type PolicyRule } from '../rule.js';
import { block, blocks, isTrue, num, servesLoadBalancer, shown, strings, zonesOfSubnets } from './support.js';

/** Availability: every tier survives the loss of an instance and of a zone, without a person. */

const MIN_ZONES = 2;
const zoneList = (zones: Set<string>) => (zones.size === 0 ? 'no known zone' : [...zones].sort().join(', '));

export const AVAILABILITY_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-HA-001',
    severity: 'error',
    area: 'availability',
    description: 'The load balancer spans at least two zones',
    resourceTypes: ['aws_lb'],
    fix: "give the load balancer a public subnet in each of the tenant's zones (spec availabilityZones, at least 2)",
    check(lb, stack) {
      const zones = zonesOfSubnets(stack, [lb.values['subnets'], blocks(lb.values['subnet_mapping']).map((m) => m['subnet_id'])]);
      return verdictOf([zones.size < MIN_ZONES && `spans ${zoneList(zones)}`]);
    },
  },
  {
    id: 'HAF-HA-002',
    severity: 'error',
    area: 'availability',
    description: 'Instance groups span at least two zones',
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'set vpc_zone_identifier to the app subnets of every zone',
    check(group, stack) {
      const zones = zonesOfSubnets(stack, group.values['vpc_zone_identifier']);
      for (const zone of strings(group.values['availability_zones'])) zones.add(zone);
      return verdictOf([zones.size < MIN_ZONES && `spans ${zoneList(zones)}`]);
    },
  },
  {
    id: 'HAF-HA-003',
    severity: 'error',
    area: 'availability',
    description: 'The database fails over to another zone by itself: Multi-AZ, or an Aurora writer and reader in different zones',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster', 'aws_db_subnet_group'],
    fix: 'RDS: multi_az = true; Aurora: at least one reader (spec database.readers) pinned to another zone; subnet group over at least two zones',
    check(resource, stack) {
      if (resource.type === 'aws_db_subnet_group') {
        const zones = zonesOfSubnets(stack, resource.values['subnet_ids']);
        return verdictOf([zones.size < MIN_ZONES && `subnets span ${zoneList(zones)}`]);
      }
      if (resource.type === 'aws_db_instance') {
        // A read replica follows its source; the source is the one that must be Multi-AZ.
        if (resource.values['replicate_source_db'] !== undefined) return notApplicable;
        return verdictOf([!isTrue(resource.values['multi_az']) && `multi_az is ${shown(resource.values['multi_az'])}`]);
      }
      const members = stack.referrers(resource.address, 'aws_rds_cluster_instance');
      const zones = new Set(members.map((m) => m.values['availability_zone']).filter((z): z is string => typeof z === 'string'));
      return verdictOf([
        members.length < 2 && `has ${members.length} instance(s): nothing to fail over to`,
        members.length >= 2 && zones.size < MIN_ZONES && `its instances are in ${zoneList(zones)}`,
      ]);
    },
  },
  {
    id: 'HAF-HA-004',
    severity: 'error',
    area: 'availability',
    description: 'Caches keep a replica in another zone and fail over to it automatically',
    resourceTypes: ['aws_elasticache_replication_group', 'aws_elasticache_subnet_group'],
    fix: 'set automatic_failover_enabled = true, multi_az_enabled = true and at least 2 cache clusters (spec cache.replicas ≥ 1) over subnets in two zones',
    check(resource, stack) {
      if (resource.type === 'aws_elasticache_subnet_group') {
        const zones = zonesOfSubnets(stack, resource.values['subnet_ids']);
        return verdictOf([zones.size < MIN_ZONES && `subnets span ${zoneList(zones)}`]);
      }
      const v = resource.values;
      const nodes = num(v['num_cache_clusters']) ?? (num(v['replicas_per_node_group']) ?? 0) + 1;
      const zones = new Set(strings(v['preferred_cache_cluster_azs']));
      return verdictOf([
        !isTrue(v['automatic_failover_enabled']) && `automatic_failover_enabled is ${shown(v['automatic_failover_enabled'])}`,
        !isTrue(v['multi_az_enabled']) && `multi_az_enabled is ${shown(v['multi_az_enabled'])}`,
        nodes < 2 && `has ${nodes} node(s) per shard`,
        zones.size === 1 && `pins every node to ${zoneList(zones)}`,
      ]);
    },
  },
  {
    id: 'HAF-HA-005',
    severity: 'error',
    area: 'availability',
    description: "The web tier keeps at least the spec's minimum capacity, and never fewer than 2 instances in production",
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'set min_size from spec web.minCapacity (at least 2 for environment "production")',
    check(group, _stack, { spec }) {
      if (!servesLoadBalancer(group)) return notApplicable;
      const min = num(group.values['min_size']) ?? 0;
      const floor = Math.max(spec.web.minCapacity, spec.environment === 'production' ? 2 : 1);
      return verdictOf([
        min < floor && `min_size is ${min}; the spec needs ${floor} (${spec.environment}, web.minCapacity ${spec.web.minCapacity})`,
      ]);
    },
  },
  {
    id: 'HAF-HA-006',
    severity: 'error',
    area: 'availability',
    description: 'Each zone has its own NAT gateway, unless the spec accepts one shared NAT gateway',
    resourceTypes: ['aws_vpc'],
    fix:
      'create one NAT gateway per zone (spec network.natGateways "per-az"), ' +
      'or set natGateways "single" for a small tenant that accepts losing egress with one zone',
    check(vpc, stack, { spec }) {
      const natZones = zonesOfSubnets(
        stack,
        stack.ofType('aws_nat_gateway').map((nat) => nat.values['subnet_id']),
      );
      if (natZones.size === 0) return fail('has no NAT gateway: the private tiers have no egress');
      if (spec.network.natGateways === 'single') return pass;
      const missing = spec.availabilityZones.filter((zone) => !natZones.has(zone));
      return verdictOf([missing.length > 0 && `no NAT gateway in ${missing.join(', ')} (spec natGateways "per-az")`]);
    },
  },
  {
    id: 'HAF-HA-007',
    severity: 'error',
    area: 'availability',
    description: 'The shared file system has a mount target in every zone the instances run in',
    resourceTypes: ['aws_efs_file_system'],
    fix: 'create a mount target in the app subnet of every zone (SharedFileSystem placement = Network.appPlacement)',
    check(fs, stack) {
      const mounted = zonesOfSubnets(
        stack,
        stack.referrers(fs.address, 'aws_efs_mount_target').map((m) => m.values['subnet_id']),
      );
      const used = zonesOfSubnets(
        stack,
        stack.ofType('aws_autoscaling_group').map((g) => g.values['vpc_zone_identifier']),
      );
      const missing = [...used].filter((zone) => !mounted.has(zone)).sort();
      return verdictOf([missing.length > 0 && `no mount target in ${missing.join(', ')}`]);
    },
  },
  {
    id: 'HAF-HA-008',
    severity: 'error',
    area: 'availability',
    description: 'Groups behind the load balancer replace instances that fail its health check',
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'set health_check_type = "ELB" and a health_check_grace_period long enough for the application to start',
    check(group) {
      if (!servesLoadBalancer(group)) return notApplicable;
      const grace = num(group.values['health_check_grace_period']) ?? 300;
      return verdictOf([
        group.values['health_check_type'] !== 'ELB' &&
          `health_check_type is ${shown(group.values['health_check_type'])}: an instance that answers errors stays in service`,
        grace <= 0 && 'health_check_grace_period is 0: new instances are killed while they boot',
      ]);
    },
  },
  {
    id: 'HAF-HA-009',
    severity: 'error',
    area: 'availability',
    description:
      'Instance groups roll a new image with a rolling instance refresh that rolls back by itself; the web tier keeps at least half its capacity',
    resourceTypes: ['aws_autoscaling_group'],
    fix: 'set instance_refresh { strategy = "Rolling", preferences { auto_rollback = true, min_healthy_percentage = spec web.minHealthyPercent } }',
    check(group) {
      const refresh = block(group.values['instance_refresh']);
      if (!refresh) return fail('no instance_refresh: a new AMI is never rolled out to running instances');
      const preferences = block(refresh['preferences']) ?? {};
      const minHealthy = num(preferences['min_healthy_percentage']) ?? 90;
      return verdictOf([
        refresh['strategy'] !== 'Rolling' && `strategy is ${shown(refresh['strategy'])}`,
        !isTrue(preferences['auto_rollback']) && 'auto_rollback is off: a failed refresh leaves the group half-upgraded',
        servesLoadBalancer(group) &&
          minHealthy < 50 &&
          `min_healthy_percentage is ${minHealthy}: learners would lose more than half the web tier`,
      ]);
    },
  },
  {
    id: 'HAF-HA-010',
    severity: 'error',
    area: 'availability',
    description: 'Groups behind the load balancer scale on requests per instance as well as on CPU',
    resourceTypes: ['aws_autoscaling_group'],
    fix:
      'add a TargetTrackingScaling aws_autoscaling_policy on ALBRequestCountPerTarget ' +
      '(resource_label <alb arn_suffix>/<target group arn_suffix>) sized by the profile ' +
      '(WebTier requestsPerTargetPerMinute)',
    check(group, stack) {
      if (!servesLoadBalancer(group)) return notApplicable;
      const tracked = stack
        .referrers(group.address, 'aws_autoscaling_policy')
        .map((policy) => block(block(policy.values['target_tracking_configuration'])?.['predefined_metric_specification']))
        .filter((metric) => metric !== undefined);
      const requests = tracked.find((m) => m['predefined_metric_type'] === 'ALBRequestCountPerTarget');
      return verdictOf([
        !requests && 'no target-tracking policy on ALBRequestCountPerTarget: a request surge on cheap pages never scales out',
        requests !== undefined &&
          !requests['resource_label'] &&
          'the ALBRequestCountPerTarget policy has no resource_label (<alb>/<target group>)',
        !tracked.some((m) => m['predefined_metric_type'] === 'ASGAverageCPUUtilization') && 'no target-tracking policy on CPU',
      ]);
    },
  },
];
