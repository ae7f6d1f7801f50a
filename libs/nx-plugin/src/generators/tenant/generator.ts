import type { GeneratorCallback, Tree } from '@nx/devkit';
import { EXIT } from '@hafleet/entry-point';
import { describeOnboarding, prepareOnboarding, writeOnboarding } from '@hafleet/onboarding';
import { SpecValidationError } from '@hafleet/tenant-spec';

/**
 * `nx g @hafleet/nx-plugin:tenant <name> --display-name … --concurrent-users N …`: the same
 * onboarding as `fleet onboard` (one function in @hafleet/onboarding), with Nx's prompts in a terminal.
 *
 * The tenant is validated here, before Nx flushes anything; the spec is written by the returned
 * callback with an atomic rename (Nx's own flush is a plain write), so `--dry-run` writes nothing and
 * a failure leaves no half-written file. Bad answers exit 2, as `fleet onboard` does (Nx would exit 1).
 */
export default async function tenantGenerator(tree: Tree, options: Record<string, unknown>): Promise<GeneratorCallback> {
  let plan;
  try {
    plan = prepareOnboarding(tree.root, options);
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    console.error(error.message);
    process.exit(EXIT.usage); // the fleet CLI's code for bad input: `nx g` uses it too
  }
  const [headline, ...lines] = describeOnboarding(plan);
  const after = (line: string) => /^(wrote|next:|then,)/.test(line);
  // Nx runs the callback only without --dry-run: the last line says what a dry run would have written.
  console.log([...lines.filter((line) => !after(line)), `writes ${plan.relativeFile} (not with --dry-run)`].join('\n'));
  return () => {
    writeOnboarding(plan);
    console.log([headline, ...lines.filter(after)].join('\n'));
  };
}
