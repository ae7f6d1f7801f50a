import type { Command } from '../command.js';
import { plan } from './plan.js';
import { schema } from './schema.js';
import { synth } from './synth.js';
import { validate } from './validate.js';

/** Every `fleet` command, in the order `fleet --help` lists them. */
export const COMMANDS: readonly Command[] = [validate, synth, plan, schema];
