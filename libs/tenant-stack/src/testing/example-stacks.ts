import { SynthesizedStack } from '@hafleet/guardrails';
import { loadFleet, type TenantSpec } from '@hafleet/tenant-spec';
import { tempWorkspace } from '@hafleet/testing';
import { synthesizeTenants } from '../synthesize.js';

/** Test support: every example tenant synthesised offline in a throw-away workspace copy, read back with its spec. */
export interface ExampleStacks {
  /** By tenant name. */
  readonly stacks: ReadonlyMap<string, SynthesizedStack>;
  /** By tenant name, in the fleet's order. */
  readonly specs: ReadonlyMap<string, TenantSpec>;
  dispose(): void;
}

export function synthesizeExamples(): ExampleStacks {
  const workspace = tempWorkspace();
  try {
    const stacks = new Map(
      synthesizeTenants({ workspaceRoot: workspace.root, mode: 'offline' }).map((s) => [s.tenant, SynthesizedStack.read(s.file)]),
    );
    const specs = new Map(loadFleet(workspace.root).map((t) => [t.spec.name, t.spec]));
    return { stacks, specs, dispose: () => workspace.dispose() };
  } catch (error) {
    workspace.dispose();
    throw error;
  }
}
