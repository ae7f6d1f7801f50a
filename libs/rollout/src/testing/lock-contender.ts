/**
 * Test support, never shipped: one process that opens a rollout journal for running, as
 * `fleet rollout --resume` does, the moment its parent says go (so several start at once), holds
 * it a while and prints one JSON line: {"pid","ok","recovered"} or {"pid","ok":false,"message"}.
 * Usage: tsx libs/rollout/src/testing/lock-contender.ts <workspace> <id> <hold ms>; prints "ready",
 * then waits for a line on stdin.
 */
import { once } from 'node:events';
import { RolloutJournal } from '../journal.js';

const [root, id, holdMs] = process.argv.slice(2);
console.log('ready');
await once(process.stdin, 'data');
let journal: RolloutJournal;
try {
  journal = RolloutJournal.open(root!, id!);
} catch (error) {
  console.log(JSON.stringify({ pid: process.pid, ok: false, message: (error as Error).message }));
  process.exit(2);
}
console.log(JSON.stringify({ pid: process.pid, ok: true, recovered: journal.recoveredLock?.pid }));
await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
journal.release();
process.exit(0);
