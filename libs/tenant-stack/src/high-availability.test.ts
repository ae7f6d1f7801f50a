import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynthesizedStack, StackResource } from '@hafleet/guardrails';
import { synthesizeExamples, type ExampleStacks } from './testing/example-stacks.js';

/**
 * The availability promises of every example tenant, read from the synthesized Terraform JSON:
 * each tier spans at least two zones, the database and cache survive the loss of a zone, the web
 * tier never runs on one instance and cron runs on exactly one.
 */
let examples: ExampleStacks;
beforeAll(() => {
  examples = synthesizeExamples();
});
afterAll(() => examples.dispose());

const tenants = () => [...examples.specs.values()];
const zonesOf = (subnets: StackResource[]) => new Set(subnets.map((s) => s.values['availability_zone']));
const subnetsOf = (stack: SynthesizedStack, value: unknown) => stack.referenced(value).filter((r) => r.type === 'aws_subnet');

describe.each(['harbour-health', 'lakeside-state', 'northwind-university'])('%s', (tenant) => {
  const stack = () => examples.stacks.get(tenant)!;
  const spec = () => tenants().find((t) => t.name === tenant)!;

  it('spreads the load balancer and both instance groups over every zone', () => {
    const zones = spec().availabilityZones.length;
    const [alb] = stack().ofType('aws_lb');
    expect(zonesOf(subnetsOf(stack(), alb!.values['subnets'])).size).toBe(zones);
    for (const group of stack().ofType('aws_autoscaling_group')) {
      expect(zonesOf(subnetsOf(stack(), group.values['vpc_zone_identifier'])).size, group.address).toBe(zones);
    }
  });

  it('never runs the web tier on one instance, and cron on exactly one', () => {
    const groups = stack().ofType('aws_autoscaling_group');
    const web = groups.find((g) => g.path.endsWith('/web/asg'))!;
    const worker = groups.find((g) => g.path.endsWith('/worker/asg'))!;
    expect(web.values['min_size']).toBeGreaterThanOrEqual(2);
    expect(web.values['health_check_type']).toBe('ELB');
    expect(web.values['target_group_arns']).toBeDefined();
    expect([worker.values['min_size'], worker.values['max_size'], worker.values['desired_capacity']]).toEqual([1, 1, 1]);
    expect(worker.values['target_group_arns']).toBeUndefined();
  });

  it('keeps the database up through the loss of a zone', () => {
    const instance = stack().ofType('aws_db_instance');
    if (instance.length > 0) {
      expect(instance.map((i) => i.values['multi_az'])).toEqual([true]);
    } else {
      const members = stack().ofType('aws_rds_cluster_instance');
      expect(members.length).toBeGreaterThanOrEqual(2);
      expect(new Set(members.map((m) => m.values['availability_zone'])).size).toBe(members.length);
    }
    const subnetGroup = stack().ofType('aws_db_subnet_group')[0]!;
    expect(zonesOf(subnetsOf(stack(), subnetGroup.values['subnet_ids'])).size).toBeGreaterThanOrEqual(2);
  });

  it('keeps sessions through the loss of a node or a zone', () => {
    for (const group of stack().ofType('aws_elasticache_replication_group')) {
      expect(group.values).toMatchObject({ automatic_failover_enabled: true, multi_az_enabled: true });
      expect(group.values['num_cache_clusters']).toBeGreaterThanOrEqual(2);
    }
  });

  it('mounts user data in every app zone and routes egress per zone when the spec asks', () => {
    const mounts = stack().ofType('aws_efs_mount_target');
    expect(zonesOf(mounts.flatMap((m) => subnetsOf(stack(), m.values['subnet_id']))).size).toBe(spec().availabilityZones.length);
    const nats = stack().ofType('aws_nat_gateway').length;
    expect(nats).toBe(spec().network.natGateways === 'per-az' ? spec().availabilityZones.length : 1);
  });
});
