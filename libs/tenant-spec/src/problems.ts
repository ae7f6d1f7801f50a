import { InputError } from '@hafleet/entry-point';

/**
 * A problem with a tenant spec or the fleet: which tenant, which field, what is wrong and the fix.
 * Every bad input ends here, so that the CLI, Nx targets and tests print one line per problem.
 */
export interface SpecProblem {
  /** Tenant name (or folder name when the spec cannot be read). */
  readonly tenant: string;
  /** Spec file, relative to the workspace when known. */
  readonly file: string;
  /** Dotted path of the field, e.g. `network.vpcCidr`; empty for the whole file. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export function formatProblem(problem: SpecProblem): string {
  const where = problem.field ? `, field ${problem.field}` : '';
  return `${problem.file}: tenant ${problem.tenant}${where}: ${problem.message}`;
}

/** Thrown when one or more specs are invalid; nothing has been written when it is thrown. */
export class SpecValidationError extends InputError {
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    // fleet.json is not a tenant spec: say which file is broken in the heading.
    const what = problems.length > 0 && problems.every((p) => p.file === 'fleet.json') ? 'invalid fleet.json' : 'invalid tenant spec';
    super(`${what} (${count}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.problems = problems;
  }
}
