import { notApplicable, verdictOf, type PolicyRule } from '../rule.js';
import { strings } from './support.js';

/** Cost: traffic takes the cheapest path AWS offers for it. */

export const COST_RULES: readonly PolicyRule[] = [
  {
    id: 'HAF-COST-001',
    severity: 'error',
    area: 'cost',
    description: 'Route tables that leave through a NAT gateway reach S3 through a gateway endpoint instead (no NAT charge per GB)',
    resourceTypes: ['aws_route_table'],
    fix: 'add an aws_vpc_endpoint (vpc_endpoint_type "Gateway", service com.amazonaws.<region>.s3) with this route table in route_table_ids (Network does)',
    check(table, stack) {
      const natRoute = stack
        .referrers(table.address, 'aws_route')
        .some((route) => stack.referenced(route.values['nat_gateway_id']).some((r) => r.type === 'aws_nat_gateway'));
      if (!natRoute) return notApplicable;
      const endpoints = stack
        .referrers(table.address, 'aws_vpc_endpoint')
        .filter((e) => e.values['vpc_endpoint_type'] === 'Gateway' && /\.s3$/.test(String(e.values['service_name'])))
        .filter((e) => strings(e.values['route_table_ids']).some((id) => stack.referenced(id).some((r) => r.address === table.address)));
      return verdictOf([
        endpoints.length === 0 && 'S3 traffic of its subnets goes through the NAT gateway: no S3 gateway endpoint on this route table',
      ]);
    },
  },
];
