/** A synth thread (see synth-threads.ts): stages the tenants it is sent, one at a time, and answers each. */
import { parentPort, workerData } from 'node:worker_threads';
import { stageTenant } from './stage.js';
import type { ThreadData, ThreadJob, ThreadResult } from './synth-threads.js';

const { settings, libs } = workerData as ThreadData;

parentPort!.on('message', ({ id, staging, spec }: ThreadJob) => {
  let result: ThreadResult;
  try {
    result = { id, ok: true, staged: stageTenant(staging, spec, settings, libs) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    result = { id, ok: false, name: e.name, message: e.message };
  }
  parentPort!.postMessage(result);
});
