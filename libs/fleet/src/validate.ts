import type { ValidateResult } from '@hafleet/terraform';
import { tenantRunner, type FleetContext } from './tenant-terraform.js';

/** A real `terraform validate` of the synthesized stack (providers installed, no backend). */
export async function validateTenantStack(ctx: FleetContext, tenant: string): Promise<ValidateResult> {
  const runner = tenantRunner(ctx, tenant);
  await runner.init({ backend: false });
  return runner.validate();
}
