/**
 * `fleet`: the operators' CLI (`npx fleet <command>`, the workspace's bin). Thin: each command in
 * commands/ declares its options, calls the libs and prints. Exit codes: see cli.ts (`fleet --help`).
 */
import { fleetCli } from './cli.js';

process.exitCode = await fleetCli(process.argv.slice(2));
