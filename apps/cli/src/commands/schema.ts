import { resolve } from 'node:path';
import { writeFileAtomic } from '@hafleet/fs-safe';
import { JSON_SCHEMA_FILES } from '@hafleet/tenant-spec';
import type { Command } from '../command.js';

export const schema: Command = {
  name: 'schema',
  usage: '',
  summary: 'regenerate the JSON Schemas of tenant.json and fleet.json',
  async run({ workspaceRoot }) {
    for (const [file, generate] of Object.entries(JSON_SCHEMA_FILES)) {
      writeFileAtomic(resolve(workspaceRoot, 'libs/tenant-spec', file), generate());
      console.log(`wrote libs/tenant-spec/${file}`);
    }
    return 0;
  },
};
