import type { AlarmSpec, Metric } from './alarm-spec.js';

/** The alarm-status widget takes at most 100 alarms. */
const ALARM_WIDGET_MAX = 100;

/** `[namespace, metric, dimension, value, ..., options]`: the dashboard's metric notation. */
function widgetMetric(metric: Metric, options: Record<string, unknown>): unknown[] {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), { stat: metric.stat, ...options }];
}

function widgetProperties(spec: AlarmSpec): Record<string, unknown> {
  const { condition } = spec;
  const line = (threshold: number) => ({ horizontal: [{ label: 'alarm', value: threshold }] });
  switch (condition.kind) {
    case 'threshold':
      return { metrics: [widgetMetric(condition.metric, { label: condition.metric.metricName })], annotations: line(condition.threshold) };
    case 'expression':
      return {
        metrics: [
          ...Object.entries(condition.metrics).map(([id, metric]) => widgetMetric(metric, { id, visible: false })),
          [{ id: 'result', expression: condition.expression, label: condition.label }],
        ],
        annotations: line(condition.threshold),
      };
    case 'anomaly':
      return {
        metrics: [
          widgetMetric(condition.metric, { id: 'value', label: condition.metric.metricName }),
          [{ id: 'band', expression: `ANOMALY_DETECTION_BAND(value, ${condition.bandWidth})`, label: 'expected' }],
        ],
      };
  }
}

/**
 * Alarm states across the top (the status widget shows alarms of the dashboard's region only),
 * then one graph per alarm (its metric and threshold, in the metric's region), two per row.
 */
export function dashboardBody(name: string, region: string, alarmArns: string[], specs: AlarmSpec[], globalRegion: string) {
  const statusRows = Math.ceil(alarmArns.length / ALARM_WIDGET_MAX);
  const status = Array.from({ length: statusRows }, (_, row) => ({
    type: 'alarm',
    x: 0,
    y: row * 4,
    width: 24,
    height: 4,
    properties: { title: `${name}: alarms`, alarms: alarmArns.slice(row * ALARM_WIDGET_MAX, (row + 1) * ALARM_WIDGET_MAX) },
  }));
  const graphs = specs.map((spec, index) => ({
    type: 'metric',
    x: (index % 2) * 12,
    y: statusRows * 4 + Math.floor(index / 2) * 6,
    width: 12,
    height: 6,
    properties: {
      title: spec.title,
      region: spec.global ? globalRegion : region,
      view: 'timeSeries',
      stacked: false,
      period: spec.period,
      ...widgetProperties(spec),
    },
  }));
  return { widgets: [...status, ...graphs] };
}
