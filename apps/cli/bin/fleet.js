#!/usr/bin/env node
// `npx fleet …` (the workspace's bin): runs the CLI's TypeScript through tsx's loader, in this process.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
