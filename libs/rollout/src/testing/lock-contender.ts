/**
 * Test support, never shipped: one process that opens a rollout journal for running, as
 * `fleet rollout --resume` does, the moment its parent says go (so several start at once), and
 * prints one JSON line: {"pid","ok","recovered"} or {"pid","ok":false,"message"}. A winner holds
 * the journal until its parent says release (after every contender has answered, so a slow starter
 * cannot find the lock already released), and never longer than <hold ms>.
 * Usage: tsx libs/rollout/src/testing/lock-contender.ts <workspace> <id> <hold ms>; prints "ready",
 * then waits for a line on stdin.
 */
import { createInterface } from 'node:readline';
import { RolloutJournal } from '../journal.js';

const [root, id, holdMs] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
console.log('ready');
await lines.next(); // go
let journal: RolloutJournal;
try {
  journal = RolloutJournal.open(root!, id!);
} catch (error) {
  console.log(JSON.stringify({ pid: process.pid, ok: false, message: (error as Error).message }));
  process.exit(2);
}
console.log(JSON.stringify({ pid: process.pid, ok: true, recovered: journal.recoveredLock?.pid }));
await Promise.race([lines.next(), new Promise((resolve) => setTimeout(resolve, Number(holdMs)))]); // release
journal.release();
process.exit(0);
