import { ONBOARDING_QUESTIONS } from './questions.js';

/**
 * The answers the example tenants were onboarded with (`fleet onboard <name> --<flag> <value> …`,
 * in this order, into an empty fleet, from the workspace root; a switch's value is 'true'). A test onboards them again and compares the result with the
 * committed tenants/<name>/tenant.json, so the examples stay exactly what the command produces.
 */
export const EXAMPLE_ONBOARDINGS: ReadonlyArray<Readonly<Record<string, string>>> = [
  {
    // Small: an NHS trust's staff training on Totara, one shared NAT gateway, RDS MySQL.
    name: 'harbour-health',
    'display-name': 'Harbour Health Training',
    region: 'eu-west-2',
    'concurrent-users': '150',
    population: '3000',
    'database-engine': 'mysql',
    domain: 'training.harbourhealth.co.uk',
    'certificate-arn': 'arn:aws:acm:eu-west-2:111122223333:certificate/2b3c4d5e-6f70-4a8b-9c0d-2e3f4a5b6c7d',
    'alert-emails': 'hosting-ops@example.com',
    ring: 'early',
    profile: 'totara',
  },
  {
    // Medium: "800 concurrent learners out of 40,000, hosted in Sydney", behind CloudFront with Shield Advanced;
    // paid course material only with signed URLs (the key file is committed beside this list).
    name: 'northwind-university',
    'display-name': 'Northwind University',
    region: 'ap-southeast-2',
    'concurrent-users': '800',
    population: '40000',
    'database-engine': 'aurora-postgresql',
    domain: 'learn.northwind.edu.au',
    'certificate-arn': 'arn:aws:acm:ap-southeast-2:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    'cdn-certificate-arn': 'arn:aws:acm:us-east-1:111122223333:certificate/1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
    'alert-emails': 'lms-oncall@northwind.edu.au,hosting-ops@example.com',
    'shield-advanced': 'true',
    'signed-content-paths': '/content/private/*',
    'signed-content-public-keys': 'libs/onboarding/examples/northwind-signing-2026.pub.pem',
  },
  {
    // Large: a state university system's SCORM/xAPI engine in its own AWS account, Aurora MySQL with two readers, backups copied to us-west-2.
    name: 'lakeside-state',
    'display-name': 'Lakeside State University System',
    region: 'us-east-1',
    'concurrent-users': '4000',
    population: '250000',
    'database-engine': 'aurora-mysql',
    domain: 'elearning.lakeside-state.edu',
    'certificate-arn': 'arn:aws:acm:us-east-1:444455556666:certificate/3c4d5e6f-7a8b-4c9d-8e0f-3a4b5c6d7e8f',
    'cdn-certificate-arn': 'arn:aws:acm:us-east-1:444455556666:certificate/3c4d5e6f-7a8b-4c9d-8e0f-3a4b5c6d7e8f',
    'alert-emails': 'lms-ops@lakeside-state.edu,hosting-ops@example.com',
    'account-id': '444455556666',
    'deployer-role-arn': 'arn:aws:iam::444455556666:role/hafleet-deployer',
    profile: 'scorm-engine',
    'dr-region': 'us-west-2',
  },
];

const SWITCHES = new Set(ONBOARDING_QUESTIONS.filter((q) => q.kind === 'switch').map((q) => q.flag));

/** `fleet onboard` arguments for an example. */
export const exampleArguments = (answers: Readonly<Record<string, string>>): string[] => [
  answers['name']!,
  ...Object.entries(answers).flatMap(([flag, value]) => (flag === 'name' ? [] : SWITCHES.has(flag) ? [`--${flag}`] : [`--${flag}`, value])),
];
