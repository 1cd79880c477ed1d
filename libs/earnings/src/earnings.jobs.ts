import { defineJob } from '@brandshelf/queue';

/**
 * Approves commission whose return window has ended (PENDING → APPROVED). A pg-boss schedule sends it every five
 * minutes, once for the cluster; lines are claimed with SKIP LOCKED, so overlapping ticks never approve twice.
 */
export const EARNINGS_APPROVAL_TICK = defineJob<object>('earnings.approval-tick', {
  retryLimit: 0,
  expireInSeconds: 10 * 60,
  cron: '*/5 * * * *',
});

export const EARNINGS_JOBS = [EARNINGS_APPROVAL_TICK];
