import { DAY, type AlarmSpec } from '../alarm-spec.js';

/** An ACM certificate the tenant serves. */
export interface WatchedCertificate {
  /** Short, constant name in the alarm id, e.g. `alb` or `cdn`. */
  readonly id: string;
  readonly arn: string;
  /** What serves it, for the description, e.g. `the load balancer`. */
  readonly usedBy: string;
  /** Issued in us-east-1 (CloudFront's): the metric and the alarm live there. @default false */
  readonly global?: boolean;
}

/**
 * ACM renews a DNS-validated certificate from 60 days before expiry; under 45 days renewal has
 * failed (validation record gone, imported certificate) and a person must act.
 */
export const CERTIFICATE_EXPIRY_DAYS = 45;

export function certificateAlarms(certificates: WatchedCertificate[]): AlarmSpec[] {
  return certificates.map((certificate): AlarmSpec => ({
    id: `certificate-${certificate.id}-expiry`,
    title: `Certificate of ${certificate.usedBy}: days to expiry`,
    description: `The certificate of ${certificate.usedBy} expires in under ${CERTIFICATE_EXPIRY_DAYS} days: ACM did not renew it.`,
    // ACM publishes DaysToExpiry once a day.
    period: DAY,
    periods: 1,
    missingData: 'missing',
    global: certificate.global ?? false,
    condition: {
      kind: 'threshold',
      metric: {
        namespace: 'AWS/CertificateManager',
        metricName: 'DaysToExpiry',
        dimensions: { CertificateArn: certificate.arn },
        stat: 'Minimum',
      },
      above: false,
      threshold: CERTIFICATE_EXPIRY_DAYS,
    },
  }));
}
