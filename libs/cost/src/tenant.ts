import type { SynthesizedStack } from '@hafleet/guardrails';
import type { TenantSpec } from '@hafleet/tenant-spec';
import type { CostInput } from './estimate.js';

/** The application profile of a spec (issue 11's `app.profile`); specs from before it have none. */
export const specProfile = (spec: TenantSpec): string | undefined => (spec.app as { profile?: string }).profile;

/** What the estimate needs from a tenant: its stack, region, load, profile and data size. */
export function tenantCostInput(spec: TenantSpec, stack: SynthesizedStack): CostInput {
  return {
    tenant: spec.name,
    stack,
    region: spec.region,
    concurrentUsers: spec.expectedLoad.concurrentUsers,
    population: spec.expectedLoad.population,
    profile: specProfile(spec),
    // The sizing model's storage estimate (RDS allocates it; Aurora grows to about it).
    databaseDataGiB: spec.database.allocatedStorageGiB,
  };
}
