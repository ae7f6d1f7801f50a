import { batchExecutor, singleExecutor } from './tenant-batch.js';

/** `plan` under Nx (see worker.ts): terraform plan, a few tenants at a time in one process; ends with the fleet table. */
export const planBatch = batchExecutor('plan');
export const planExecutor = singleExecutor('plan');
