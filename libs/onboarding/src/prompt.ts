import { cancel, confirm, intro, isCancel, log, note, select, text } from '@clack/prompts';
import { DEFAULT_PROFILE } from '@hafleet/app-profiles';
import { SpecValidationError, specDefaults } from '@hafleet/tenant-spec';
import { describeOnboarding, prepareOnboarding, type OnboardingPlan } from './onboard.js';
import { ONBOARDING_QUESTIONS, parseAnswers, type OnboardingQuestion } from './questions.js';

export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  /** Prompts go here; the CLI passes stderr so stdout stays clean. */
  readonly output: NodeJS.WritableStream;
}

/** The person left the prompts (Ctrl-C, Escape) or declined the summary: nothing was written. */
export class OnboardingCancelled extends Error {
  constructor(readonly declined: boolean) {
    super(declined ? 'onboarding declined at the summary: nothing was written' : 'onboarding cancelled: nothing was written');
    this.name = 'OnboardingCancelled';
  }
}

/** Optional questions offered after the required ones (the rest are flags for the unusual case). */
const OFFERED = ['profile', 'cdnCertificateArn', 'ring', 'environment', 'drRegion'] as const;
/** Offered questions where no answer is a choice of its own (no CDN, no DR copies): typed, empty for none. */
const NONE_ALLOWED: ReadonlySet<string> = new Set(['cdnCertificateArn', 'drRegion']);

/**
 * The terminal session of `fleet onboard` (@clack/prompts): asks for every required answer `given`
 * lacks, checking each as it is given with the same validation as the final one (so a taken name,
 * a domain another tenant uses or a certificate in the wrong region is re-asked at once, and no
 * other answer is lost), offers the optional questions, shows a summary (sizes, network, file) and
 * asks for confirmation. Returns the answers; throws OnboardingCancelled when the person leaves.
 */
export async function interviewForOnboarding(
  workspaceRoot: string,
  given: Readonly<Record<string, unknown>>,
  streams: PromptStreams,
): Promise<Record<string, unknown>> {
  const io = { input: streams.input as NodeJS.ReadStream, output: streams.output as NodeJS.WriteStream };
  const answers: Record<string, unknown> = { ...given };
  const answered = (value: unknown): string | boolean | symbol => {
    if (isCancel(value)) {
      cancel('Nothing was written.', io);
      throw new OnboardingCancelled(false);
    }
    return value as string | boolean;
  };
  const ask = async (q: OnboardingQuestion, problem?: string): Promise<void> => {
    if (problem) log.warn(`${q.prompt}: ${problem}`, io);
    const check = (value: string | undefined): string | undefined => answerProblem(workspaceRoot, answers, q, value ?? '');
    const value =
      q.choices && q.choices.length <= 6
        ? answered(
            await select({
              ...io,
              message: q.prompt,
              options: q.choices.map((c) => ({ value: c, label: c })),
              initialValue: (answers[q.key] as string | undefined) ?? initialChoice(workspaceRoot, q),
            }),
          )
        : answered(
            await text({
              ...io,
              message: q.prompt,
              placeholder: `e.g. ${q.example.replace(/^"|"$/g, '')}`,
              initialValue: answers[q.key] === undefined ? undefined : String(answers[q.key]),
              validate: (v) => check(v),
            }),
          );
    answers[q.key] = String(value).trim();
  };

  intro('fleet onboard: a new client', io);
  for (const q of parseAnswers(answers).missing) await ask(q);
  const offered = OFFERED.map((key) => ONBOARDING_QUESTIONS.find((q) => q.key === key)!).filter((q) => answers[q.key] === undefined);
  if (
    offered.length > 0 &&
    answered(
      await confirm({
        ...io,
        message: `Optional settings (${offered.map((q) => q.prompt.toLowerCase()).join(', ')})?`,
        initialValue: false,
      }),
    ) === true
  ) {
    for (const q of offered) {
      if (q.choices && !NONE_ALLOWED.has(q.key)) await ask(q);
      else {
        const value = answered(
          await text({
            ...io,
            message: `${q.prompt} (empty: none)`,
            placeholder: `e.g. ${q.example}`,
            validate: (v) => (v ? answerProblem(workspaceRoot, answers, q, v) : undefined),
          }),
        );
        if (value) answers[q.key] = String(value).trim();
      }
    }
  }

  // Problems only the whole set of answers shows are blamed on their question, which is asked again.
  let plan: OnboardingPlan | undefined;
  for (let round = 0; !plan; round++) {
    try {
      plan = prepareOnboarding(workspaceRoot, answers);
    } catch (error) {
      if (!(error instanceof SpecValidationError) || round >= 3) throw error;
      const blamed = ONBOARDING_QUESTIONS.map((q) => [q, error.problems.find((p) => p.field.endsWith(`(--${q.flag})`))] as const).filter(
        ([, p]) => p,
      );
      if (blamed.length === 0) throw error;
      for (const [q, p] of blamed) await ask(q, p!.message);
    }
  }

  const [, ...outcome] = describeOnboarding(plan, { dryRun: true });
  const lines = ONBOARDING_QUESTIONS.filter((q) => answers[q.key] !== undefined).map((q) => `${q.prompt}: ${String(answers[q.key])}`);
  note([...lines, '', ...outcome.filter((line) => !line.startsWith('nothing written'))].join('\n'), `Summary: ${plan.name}`, io);
  if (answered(await confirm({ ...io, message: `Write ${plan.relativeFile}?`, initialValue: true })) !== true) {
    cancel('Nothing was written.', io);
    throw new OnboardingCancelled(true);
  }
  return answers;
}

/** The choice Enter takes: the fleet's default profile, else the first choice. */
function initialChoice(workspaceRoot: string, q: OnboardingQuestion): string {
  if (q.key === 'profile') return specDefaults(workspaceRoot).profile ?? DEFAULT_PROFILE;
  return q.choices![0]!;
}

/**
 * What is wrong with one answer, given the answers so far: its own form (a whole number, one of the
 * choices) and then the full onboarding validation with harmless stand-ins for the questions not
 * yet asked, keeping only the problems blamed on this question's flag.
 */
export function answerProblem(
  workspaceRoot: string,
  answers: Readonly<Record<string, unknown>>,
  q: OnboardingQuestion,
  value: string,
): string | undefined {
  if (value.trim() === '') return 'an answer is required';
  const own = parseAnswers({ [q.key]: value });
  if (own.problems[0]) return own.problems[0].message;
  if (q.choices && !q.choices.includes(value.trim())) return `"${value}" is not one of ${q.choices.join(', ')}`;
  try {
    prepareOnboarding(workspaceRoot, { ...standIns(answers), ...answers, [q.key]: value });
  } catch (error) {
    if (!(error instanceof SpecValidationError)) throw error;
    const mine = error.problems.find((p) => p.field.endsWith(`(--${q.flag})`));
    if (mine) return mine.message;
    // A broken fleet (another tenant's spec, fleet.json) is not this answer's fault: say so once, at the end.
    if (!error.problems.some((p) => p.field.includes('(--'))) return undefined;
  }
  return undefined;
}

function standIns(answers: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const region = typeof answers['region'] === 'string' ? answers['region'] : 'eu-west-1';
  return {
    name: 'stand-in-tenant',
    displayName: 'Stand-in',
    region,
    concurrentUsers: 1,
    population: Math.max(1, Number(answers['concurrentUsers'] ?? 1) || 1),
    databaseEngine: 'mysql',
    domain: 'stand-in.hafleet.invalid',
    certificateArn: `arn:aws:acm:${region}:111122223333:certificate/00000000-0000-4000-8000-000000000000`,
    alertEmails: 'stand-in@example.org',
  };
}
