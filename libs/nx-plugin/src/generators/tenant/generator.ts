import type { GeneratorCallback, Tree } from '@nx/devkit';
import { describeOnboarding, prepareOnboarding, writeOnboarding } from '@hafleet/onboarding';

/**
 * `nx g @hafleet/nx-plugin:tenant <name> --display-name … --concurrent-users N …`: the same
 * onboarding as `fleet onboard` (one function in @hafleet/onboarding), with Nx's prompts in a terminal.
 *
 * The tenant is validated here, before Nx flushes anything; the spec is written by the returned
 * callback with an atomic rename (Nx's own flush is a plain write), so `--dry-run` writes nothing and
 * a failure leaves no half-written file.
 */
export default async function tenantGenerator(tree: Tree, options: Record<string, unknown>): Promise<GeneratorCallback> {
  const plan = prepareOnboarding(tree.root, options);
  const [headline, size, network, written, next] = describeOnboarding(plan);
  console.log(`${size}\n${network}`);
  return () => {
    writeOnboarding(plan);
    console.log(`${headline}\n${written}\n${next}`);
  };
}
