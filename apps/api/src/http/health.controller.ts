import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthMonitor } from '../overload/health-monitor.js';

@Controller()
export class HealthController {
  constructor(@Inject(HealthMonitor) private readonly monitor: HealthMonitor) {}

  /**
   * 200 while the database answers its probe (or, embedded, is busy), 503 when it does not: what a load balancer
   * or orchestrator probes. Answered from process state, so it never waits behind user work or the pool. `storage`
   * says whether the media store (S3 or local disk) answered its last check; it does not change the status code:
   * searches and the API need no storage, so a bucket away is for monitoring to report, not for a load balancer to
   * take every API process out over.
   */
  @Get('health')
  health(@Res() res: Response): void {
    const state = this.monitor.state();
    const storage = this.monitor.storage();
    res.setHeader('Cache-Control', 'no-store');
    if (state.healthy) {
      res.status(200).json({
        status: 'ok',
        database: state.database,
        latencyMs: state.latencyMs,
        checkedMsAgo: state.checkedMsAgo,
        storage,
      });
    } else {
      res
        .status(503)
        .json({ status: 'error', database: 'down', error: state.error, checkedMsAgo: state.checkedMsAgo, storage });
    }
  }
}
