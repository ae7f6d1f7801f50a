import { InvalidAllowanceError, parseAllowances } from '@hafleet/fleet';
import type { StringOption } from './options.js';

/** `--allow-destroy <tenant>:<address>`, shared by apply and rollout; checked as it is parsed. */
export const ALLOW_DESTROY_OPTION = {
  type: 'string',
  value: '<tenant>:<address>',
  description: 'let this run replace or destroy that stateful resource (the address as the plan shows it)',
  example: 'harbour-health:aws_db_instance.database_instance_1A2B3C4D',
  multiple: true,
  check: (value: string) => {
    try {
      parseAllowances([value]);
      return undefined;
    } catch (error) {
      if (error instanceof InvalidAllowanceError) return error.message;
      throw error;
    }
  },
} as const satisfies StringOption;
