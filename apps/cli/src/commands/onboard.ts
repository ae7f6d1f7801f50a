import { renderTable } from '@hafleet/fleet';
import { ONBOARDING_QUESTIONS, answersFromFlags, describeOnboarding, onboardTenant, parseAnswers, promptForMissing } from '@hafleet/onboarding';
import { SIZING_TABLE_HEADERS, sizingRows } from '@hafleet/sizing';
import { UsageError, type Command, type OptionValues } from '../command.js';

/** Flags from the onboarding questions, so the CLI and the Nx generator ask the same things. */
const QUESTION_OPTIONS = Object.fromEntries(ONBOARDING_QUESTIONS.map((q) => [q.flag, { type: 'string' } as const]));

/** A person is there to answer: both ends are a terminal and this is not CI. */
const interactive = () => Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env['CI'];

export const onboard: Command = {
  name: 'onboard',
  usage: '[name] --<answer> … [--dry-run] [--json]',
  summary: 'create tenants/<name>/tenant.json from a few answers: sized, with a free VPC range, validated with the fleet (prompts in a terminal)',
  details: [
    'answers (* required; in a terminal, missing ones are asked for):',
    ...ONBOARDING_QUESTIONS.map((q) => `  --${q.flag.padEnd(20)} ${q.required ? '*' : ' '} ${q.description}${q.choices ? ` One of ${q.choices.join(', ')}.` : ''} e.g. ${q.example}`),
    '  --dry-run                validate and show the sizes, write nothing',
    '',
    'Same as: npx nx g @hafleet/nx-plugin:tenant <name> --<answer> …',
  ].join('\n'),
  options: { ...QUESTION_OPTIONS, 'dry-run': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  async run({ args, options, workspaceRoot }) {
    if (args.length > 1) throw new UsageError(`one tenant at a time, got ${args.join(', ')} — fix: fleet onboard <name> …`);
    let answers = answersFrom(options, args[0]);
    const { missing } = parseAnswers(answers);
    if (missing.length > 0) {
      if (!interactive()) {
        throw new UsageError(
          `missing ${missing.map((q) => `--${q.flag}`).join(', ')} (no terminal to ask in) — fix: pass ${missing.map((q) => `--${q.flag} ${q.example}`).join(' ')}`,
        );
      }
      answers = await promptForMissing(answers, { input: process.stdin, output: process.stderr });
    }
    const dryRun = options['dry-run'] === true;
    const plan = onboardTenant(workspaceRoot, answers, { dryRun });
    if (options['json'] === true) {
      console.log(JSON.stringify({ tenant: plan.name, file: plan.relativeFile, written: !dryRun, network: plan.network, sizing: plan.spec.sizing, spec: JSON.parse(plan.text) }, null, 2));
      return 0;
    }
    const [headline, ...rest] = describeOnboarding(plan, { dryRun });
    console.log([headline, '', renderTable(SIZING_TABLE_HEADERS, sizingRows(plan.spec.sizing)), '', ...rest].join('\n'));
    return 0;
  },
};

/** Flags (kebab-case) to answer keys; the positional name counts as --name. */
function answersFrom(options: OptionValues, positionalName: string | undefined): Record<string, unknown> {
  if (positionalName !== undefined && options['name'] !== undefined && options['name'] !== positionalName) {
    throw new UsageError(`two names: "${positionalName}" and --name "${String(options['name'])}" — fix: give the name once`);
  }
  const flags = Object.fromEntries(ONBOARDING_QUESTIONS.map((q) => [q.flag, options[q.flag]]));
  return answersFromFlags({ ...flags, name: positionalName ?? options['name'] });
}
