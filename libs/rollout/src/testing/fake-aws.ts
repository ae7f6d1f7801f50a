import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * FAKE AWS, for tests only: a loopback HTTP server that speaks the AWS Query protocol of exactly
 * the three calls the AWS health gate makes — autoscaling DescribeInstanceRefreshes and
 * DescribeAutoScalingGroups, elbv2 DescribeTargetHealth — so the gate runs through the real AWS
 * SDK (request signing, serialisation, XML parsing) with its `endpoint` pointed here.
 */

export interface FakeInstanceRefresh {
  readonly id: string;
  status: string;
  readonly startTime: Date;
  percentComplete?: number;
  statusReason?: string;
}

export interface FakeAwsState {
  /** Refreshes of the one auto scaling group, any order. */
  refreshes: FakeInstanceRefresh[];
  /** The group, or undefined for "no such group". */
  group?: { name: string; desiredCapacity: number; targetGroupArns: string[] };
  /** Target group ARN → its targets' health states. */
  targets: Record<string, Array<{ id: string; state: string }>>;
}

export interface FakeAwsCall {
  readonly action: string;
  readonly params: Record<string, string>;
  /** The region the SDK signed for (from the Authorization header). */
  readonly region: string;
}

export interface FakeAws {
  readonly endpoint: string;
  readonly state: FakeAwsState;
  readonly calls: FakeAwsCall[];
  /** Runs before each answer: lets a test move the refresh along as the gate polls. */
  beforeAnswer?: (call: FakeAwsCall, state: FakeAwsState) => void;
  close(): Promise<void>;
}

export const FAKE_AWS_CREDENTIALS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret-for-the-fake-aws' } as const;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, value: string | number | undefined) =>
  value === undefined ? '' : `<${name}>${typeof value === 'number' ? value : escape(value)}</${name}>`;

function answer(call: FakeAwsCall, state: FakeAwsState): { status: number; body: string } {
  const ns = (service: string, version: string) => `http://${service}.amazonaws.com/doc/${version}/`;
  const wrap = (action: string, xmlns: string, result: string) =>
    `<?xml version="1.0"?><${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>fake-${Date.now()}</RequestId></ResponseMetadata></${action}Response>`;
  switch (call.action) {
    case 'DescribeInstanceRefreshes': {
      const members = state.refreshes
        .filter(() => call.params['AutoScalingGroupName'] === state.group?.name)
        .map(
          (r) =>
            '<member>' +
            el('InstanceRefreshId', r.id) +
            el('AutoScalingGroupName', call.params['AutoScalingGroupName']) +
            el('Status', r.status) +
            el('StatusReason', r.statusReason) +
            el('StartTime', r.startTime.toISOString()) +
            el('PercentageComplete', r.percentComplete) +
            '</member>',
        )
        .join('');
      return { status: 200, body: wrap(call.action, ns('autoscaling', '2011-01-01'), `<InstanceRefreshes>${members}</InstanceRefreshes>`) };
    }
    case 'DescribeAutoScalingGroups': {
      const group = state.group && call.params['AutoScalingGroupNames.member.1'] === state.group.name ? state.group : undefined;
      const member = group
        ? '<member>' +
          el('AutoScalingGroupName', group.name) +
          el('MinSize', 1) +
          el('MaxSize', 10) +
          el('DesiredCapacity', group.desiredCapacity) +
          `<TargetGroupARNs>${group.targetGroupArns.map((a) => el('member', a)).join('')}</TargetGroupARNs>` +
          '</member>'
        : '';
      return { status: 200, body: wrap(call.action, ns('autoscaling', '2011-01-01'), `<AutoScalingGroups>${member}</AutoScalingGroups>`) };
    }
    case 'DescribeTargetHealth': {
      const members = (state.targets[call.params['TargetGroupArn'] ?? ''] ?? [])
        .map(
          (t) => `<member><Target>${el('Id', t.id)}${el('Port', 80)}</Target><TargetHealth>${el('State', t.state)}</TargetHealth></member>`,
        )
        .join('');
      return {
        status: 200,
        body: wrap(
          call.action,
          ns('elasticloadbalancing', '2015-12-01'),
          `<TargetHealthDescriptions>${members}</TargetHealthDescriptions>`,
        ),
      };
    }
    default:
      return {
        status: 400,
        body:
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code>' +
          `<Message>the fake AWS does not speak ${escape(call.action)}</Message></Error></ErrorResponse>`,
      };
  }
}

export async function startFakeAws(state: FakeAwsState): Promise<FakeAws> {
  const calls: FakeAwsCall[] = [];
  const fake: FakeAws = {
    endpoint: '',
    state,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned';
      const call: FakeAwsCall = { action: params['Action'] ?? '', params, region };
      calls.push(call);
      fake.beforeAnswer?.(call, state);
      const { status, body: xml } = answer(call, state);
      res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
