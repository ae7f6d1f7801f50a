import { batchExecutor, singleExecutor } from './tenant-batch.js';

/** `validate` under Nx (see worker.ts): terraform validate, a few tenants at a time in one process. */
export const validateBatch = batchExecutor('validate');
export const validateExecutor = singleExecutor('validate');
