import { InputError } from '@hafleet/entry-point';

/**
 * Bad input to a rollout — an argument, a selection that matches nothing, a journal that is
 * corrupted or was edited by hand. Thrown before anything is touched; the CLI exits 2 with it.
 */
export class RolloutInputError extends InputError {}
