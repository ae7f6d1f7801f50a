import { MINUTE, type AlarmSpec, type Metric } from '../alarm-spec.js';

/** Share of the NAT gateway's packets dropped that raises the alarm, in percent (AWS's recommendation). */
const DROPPED_PERCENT = 0.01;

/**
 * Per NAT gateway: port allocation errors (the gateway ran out of source ports towards one
 * destination: new outbound connections of the instances fail) and dropped packets.
 */
export function natGatewayAlarms(natGatewayIds: string[]): AlarmSpec[] {
  return natGatewayIds.flatMap((id, index): AlarmSpec[] => {
    const nat = (metricName: string): Metric => ({
      namespace: 'AWS/NATGateway',
      metricName,
      dimensions: { NatGatewayId: id },
      stat: 'Sum',
    });
    const which = `nat-${index + 1}`;
    return [
      {
        id: `${which}-port-allocation`,
        title: `NAT gateway ${index + 1}: port allocation errors`,
        description:
          `NAT gateway ${index + 1} could not allocate a source port in each of 5 minutes: ` +
          `outbound connections (SSM, packages, mail, APIs) are failing.`,
        period: MINUTE,
        periods: 5,
        missingData: 'notBreaching',
        condition: { kind: 'threshold', metric: nat('ErrorPortAllocation'), above: true, threshold: 0 },
      },
      {
        id: `${which}-packets-dropped`,
        title: `NAT gateway ${index + 1}: packets dropped (%)`,
        description: `NAT gateway ${index + 1} dropped more than ${DROPPED_PERCENT} % of its packets for 5 minutes.`,
        period: MINUTE,
        periods: 5,
        missingData: 'notBreaching',
        condition: {
          kind: 'expression',
          metrics: {
            dropped: nat('PacketsDropCount'),
            fromSource: nat('PacketsInFromSource'),
            fromDestination: nat('PacketsInFromDestination'),
          },
          expression:
            'IF((FILL(fromSource, 0) + FILL(fromDestination, 0)) > 0, ' +
            '100 * FILL(dropped, 0) / (FILL(fromSource, 0) + FILL(fromDestination, 0)), 0)',
          label: 'dropped %',
          above: true,
          threshold: DROPPED_PERCENT,
        },
      },
    ];
  });
}
