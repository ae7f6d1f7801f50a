import { createInterface } from 'node:readline/promises';
import { parseAnswers, type OnboardingQuestion } from './questions.js';

export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  /** Prompts go here; the CLI passes stderr so stdout stays clean. */
  readonly output: NodeJS.WritableStream;
}

/** Tries per question before giving up on a person's answer. */
const ATTEMPTS = 3;

/**
 * Asks, one by one, for every required answer `raw` lacks (a terminal session of `fleet onboard`),
 * re-asking when an answer is not of the right kind or not one of the choices. The full validation
 * runs afterwards, on every answer together. Rejects when the input ends first.
 */
export async function promptForMissing(raw: Readonly<Record<string, unknown>>, streams: PromptStreams): Promise<Record<string, unknown>> {
  const answers: Record<string, unknown> = { ...raw };
  const missing = parseAnswers(answers).missing;
  if (missing.length === 0) return answers;
  const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
  const closed = new AbortController();
  rl.once('close', () => closed.abort());
  try {
    for (const q of missing) answers[q.key] = await ask(rl, q, closed.signal, streams.output);
  } finally {
    rl.close();
  }
  return answers;
}

async function ask(rl: ReturnType<typeof createInterface>, q: OnboardingQuestion, signal: AbortSignal, output: NodeJS.WritableStream): Promise<string> {
  const hint = q.choices ? ` [${q.choices.join(', ')}]` : ` (e.g. ${q.example.replace(/^"|"$/g, '')})`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let answer: string;
    try {
      answer = (await rl.question(`${q.prompt}${hint}: `, { signal })).trim();
    } catch {
      throw new Error(`no answer for --${q.flag}: the input ended — fix: answer every question, or pass --${q.flag}`);
    }
    const problem = answer === '' ? 'an answer is required' : checkAnswer(q, answer);
    if (!problem) return answer;
    output.write(`  ${problem}\n`);
  }
  throw new Error(`no usable answer for --${q.flag} after ${ATTEMPTS} tries — fix: pass --${q.flag} ${q.example}`);
}

/** What is wrong with one answer on its own (kind and choices), or undefined. */
function checkAnswer(q: OnboardingQuestion, answer: string): string | undefined {
  if (q.choices && !q.choices.includes(answer)) return `"${answer}" is not one of ${q.choices.join(', ')}`;
  return parseAnswers({ [q.key]: answer }).problems[0]?.message;
}
