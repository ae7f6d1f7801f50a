import type { CloudwatchMetricAlarmConfig, CloudwatchMetricAlarmMetricQuery } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

/** What CloudWatch does with a period that has no data point. */
export type MissingData = 'missing' | 'notBreaching' | 'breaching';

export interface Metric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** A statistic (`Average`, `Sum`...) or a percentile (`p95`). */
  readonly stat: string;
}

/** One alarm, described once; the alarm resource and its dashboard widget are both built from it. */
export interface AlarmSpec {
  /** Construct id and alarm name suffix: unique, constant across applies. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly period: number;
  /** Consecutive periods looked at, all of which must breach (M of M). */
  readonly periods: number;
  readonly missingData: MissingData;
  /** The metric is published in us-east-1 only (Route 53, CloudFront, its certificate and web ACL): the alarm lives there. @default false */
  readonly global?: boolean;
  readonly condition:
    | {
        readonly kind: 'threshold';
        readonly metric: Metric;
        readonly above: boolean;
        readonly threshold: number;
        /** Reaching the threshold already breaches. @default false */
        readonly orEqual?: boolean;
      }
    | {
        readonly kind: 'expression';
        readonly metrics: Record<string, Metric>;
        readonly expression: string;
        readonly label: string;
        readonly above: boolean;
        readonly threshold: number;
      }
    /** Above the band CloudWatch anomaly detection learns for the metric: no fixed threshold needed. */
    | { readonly kind: 'anomaly'; readonly metric: Metric; readonly bandWidth: number };
}

export const GIB = 1024 ** 3;
export const MINUTE = 60;
export const DAY = 24 * 60 * MINUTE;

const isPercentile = (stat: string) => /^p\d+(\.\d+)?$/.test(stat);
const comparison = (above: boolean, orEqual = false) =>
  orEqual ? (above ? 'GreaterThanOrEqualToThreshold' : 'LessThanOrEqualToThreshold') : above ? 'GreaterThanThreshold' : 'LessThanThreshold';

/** The CloudWatch alarm that a spec describes, notifying the topic on alarm and on recovery. */
export function alarmConfig(alarmName: string, spec: AlarmSpec, topicArn: string): CloudwatchMetricAlarmConfig {
  const common = {
    alarmName,
    alarmDescription: spec.description,
    evaluationPeriods: spec.periods,
    datapointsToAlarm: spec.periods,
    treatMissingData: spec.missingData,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
    tags: { Name: alarmName },
  };
  const { condition, period } = spec;
  const query = (id: string, metric: Metric, returnData: boolean): CloudwatchMetricAlarmMetricQuery => ({
    id,
    returnData,
    metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions, stat: metric.stat, period },
  });
  switch (condition.kind) {
    case 'threshold': {
      const { metric } = condition;
      return {
        ...common,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        ...(isPercentile(metric.stat) ? { extendedStatistic: metric.stat } : { statistic: metric.stat }),
        period,
        comparisonOperator: comparison(condition.above, condition.orEqual),
        threshold: condition.threshold,
      };
    }
    case 'expression':
      return {
        ...common,
        comparisonOperator: comparison(condition.above),
        threshold: condition.threshold,
        metricQuery: [
          ...Object.entries(condition.metrics).map(([id, metric]) => query(id, metric, false)),
          { id: 'result', expression: condition.expression, label: condition.label, returnData: true },
        ],
      };
    case 'anomaly':
      return {
        ...common,
        comparisonOperator: 'GreaterThanUpperThreshold',
        thresholdMetricId: 'band',
        metricQuery: [
          query('value', condition.metric, true),
          { id: 'band', expression: `ANOMALY_DETECTION_BAND(value, ${condition.bandWidth})`, label: 'expected', returnData: true },
        ],
      };
  }
}
