import type { ValidateResult } from '@hafleet/terraform';
import { stackRunner, tenantLocation, type FleetContext, type StackLocation } from './tenant-terraform.js';

/** A real `terraform validate` of the synthesized stack (providers installed, no backend). */
export async function validateStack(ctx: FleetContext, location: StackLocation): Promise<ValidateResult> {
  const runner = stackRunner(ctx, location);
  await runner.init({ backend: false });
  return runner.validate();
}

export async function validateTenantStack(ctx: FleetContext, tenant: string): Promise<ValidateResult> {
  return validateStack(ctx, tenantLocation(ctx, tenant));
}
