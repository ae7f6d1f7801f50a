import { resolve } from 'node:path';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { generatorSchema } from '@hafleet/onboarding';
import { JSON_SCHEMA_FILES } from '@hafleet/tenant-spec';
import { EXIT, defineCommand } from '../command.js';

/** Options of `nx g @hafleet/nx-plugin:tenant`, generated from the onboarding questions. */
export const GENERATOR_SCHEMA = 'libs/nx-plugin/src/generators/tenant/schema.json';

export const schema = defineCommand({
  name: 'schema',
  args: '',
  options: {},
  examples: ['npx fleet schema'],
  summary: "regenerate the JSON Schemas of tenant.json and fleet.json, and the tenant generator's options",
  async run({ workspaceRoot }) {
    for (const [file, generate] of Object.entries(JSON_SCHEMA_FILES)) {
      writeFileAtomic(resolve(workspaceRoot, 'libs/tenant-spec', file), generate());
      console.log(`wrote libs/tenant-spec/${file}`);
    }
    writeFileAtomic(resolve(workspaceRoot, GENERATOR_SCHEMA), generatorSchema());
    console.log(`wrote ${GENERATOR_SCHEMA}`);
    return EXIT.ok;
  },
});
