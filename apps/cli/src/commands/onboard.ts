import { renderTable } from '@hafleet/fleet';
import {
  EXAMPLE_ONBOARDINGS,
  ONBOARDING_QUESTIONS,
  answersFromFlags,
  exampleArguments,
  describeOnboarding,
  interviewForOnboarding,
  OnboardingCancelled,
  onboardTenant,
  parseAnswers,
} from '@hafleet/onboarding';
import { SIZING_TABLE_HEADERS, sizingRows } from '@hafleet/sizing';
import { EXIT, JSON_OPTION, UsageError, defineCommand } from '../command.js';
import type { OptionDef, OptionDefs } from '../options.js';

/** Flags from the onboarding questions, so the CLI and the Nx generator ask the same things. */
const QUESTION_OPTIONS: OptionDefs = Object.fromEntries(
  ONBOARDING_QUESTIONS.map((q): [string, OptionDef] => [
    q.flag,
    q.kind === 'count'
      ? {
          type: 'integer',
          value: 'N',
          description: `${q.required ? '(required) ' : ''}${q.description}`,
          example: q.example,
          min: 1,
          max: 10_000_000,
        }
      : q.kind === 'switch'
        ? { type: 'boolean', description: q.description }
        : {
            type: 'string',
            value: `<${q.flag}>`,
            description: `${q.required ? '(required) ' : ''}${q.description}`,
            example: q.example,
            ...(q.choices ? { choices: q.choices } : {}),
          },
  ]),
);

/** A person is there to answer: both ends are a terminal and this is not CI. */
const interactive = () => Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env['CI'];

export const onboard = defineCommand({
  name: 'onboard',
  args: '[name]',
  summary:
    'create tenants/<name>/tenant.json from a few answers: sized, with a free VPC range, validated with the fleet (prompts in a terminal)',
  details:
    'In a terminal, missing answers are asked for (each checked as it is given), ' +
    'then a summary to confirm; without one (CI) every required flag must be given. Same as: ' +
    'npx nx g @hafleet/nx-plugin:tenant <name> --<answer> …',
  options: {
    ...QUESTION_OPTIONS,
    'dry-run': { type: 'boolean', description: 'validate and show the sizes and the file it would write; write nothing' },
    ...JSON_OPTION,
  },
  examples: [
    'npx fleet onboard                       # in a terminal: asks for every answer',
    `npx fleet ${exampleArguments(EXAMPLE_ONBOARDINGS[1]!)
      .map((a) => (/[\s"]/.test(a) ? `'${a}'` : a))
      .join(' ')} --dry-run`,
  ],
  async run({ args, options, workspaceRoot }) {
    if (args.length > 1) throw new UsageError(`one tenant at a time, got ${args.join(', ')} — fix: fleet onboard <name> …`);
    let answers = answersFrom(options, args[0]);
    const { missing } = parseAnswers(answers);
    if (missing.length > 0) {
      if (!interactive()) {
        throw new UsageError(
          `missing ${missing.map((q) => `--${q.flag}`).join(', ')} (no terminal to ask in) — fix: ` +
            `pass ${missing.map((q) => `--${q.flag} ${q.example}`).join(' ')}`,
        );
      }
      try {
        answers = await interviewForOnboarding(workspaceRoot, answers, { input: process.stdin, output: process.stderr });
      } catch (error) {
        if (!(error instanceof OnboardingCancelled)) throw error;
        console.error(error.message);
        return error.declined ? EXIT.failed : EXIT.interrupted;
      }
    }
    const dryRun = options['dry-run'] === true;
    const plan = onboardTenant(workspaceRoot, answers, { dryRun, cwd: typedFrom() });
    if (options['json'] === true) {
      console.log(
        JSON.stringify(
          {
            tenant: plan.name,
            file: plan.relativeFile,
            written: !dryRun,
            network: plan.network,
            sizing: plan.spec.sizing,
            spec: JSON.parse(plan.text),
          },
          null,
          2,
        ),
      );
      return EXIT.ok;
    }
    const [headline, ...rest] = describeOnboarding(plan, { dryRun });
    console.log([headline, '', renderTable(SIZING_TABLE_HEADERS, sizingRows(plan.spec.sizing)), '', ...rest].join('\n'));
    return EXIT.ok;
  },
});

/** Where the person typed the command: `npm run fleet` runs in the workspace root and says where it was called in INIT_CWD. */
const typedFrom = (): string => (process.env['npm_lifecycle_event'] === 'fleet' && process.env['INIT_CWD']) || process.cwd();

/** Flags (kebab-case) to answer keys; the positional name counts as --name. */
function answersFrom(options: Readonly<Record<string, unknown>>, positionalName: string | undefined): Record<string, unknown> {
  if (positionalName !== undefined && options['name'] !== undefined && options['name'] !== positionalName) {
    throw new UsageError(`two names: "${positionalName}" and --name "${String(options['name'])}" — fix: give the name once`);
  }
  const flags = Object.fromEntries(ONBOARDING_QUESTIONS.map((q) => [q.flag, options[q.flag]]));
  return answersFromFlags({ ...flags, name: positionalName ?? options['name'] });
}
