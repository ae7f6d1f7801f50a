/** Disaster recovery: the runbook read from a tenant's stack, and the restore stack and drill in its DR region. */
export * from './backup-layout.js';
export * from './restore-stack.js';
export * from './runbook.js';
