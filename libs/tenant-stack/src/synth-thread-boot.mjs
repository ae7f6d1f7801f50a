// A synth thread's entry: threads do not inherit tsx's loader from the process, so each registers it first.
import { register } from 'tsx/esm/api';

register();
await import('./synth-thread.ts');
