import { batchExecutor, singleExecutor } from './tenant-batch.js';

/** `synth` under Nx (see worker.ts): one batch process for every uncached tenant, one cache entry per tenant. */
export const synthBatch = batchExecutor('synth');
export const synthExecutor = singleExecutor('synth');
