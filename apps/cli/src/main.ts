/**
 * `fleet`: the operators' CLI (`npx fleet <command>`, the workspace's bin). Thin: each command in
 * commands/ declares its options, calls the libs and prints. Exit codes: EXIT in @hafleet/entry-point (`fleet --help`).
 */
import { runMain } from '@hafleet/entry-point';
import { fleetCli } from './cli.js';

await runMain(() => fleetCli(process.argv.slice(2)));
