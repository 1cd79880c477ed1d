import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthMonitor } from '../overload/health-monitor.js';

@Controller()
export class HealthController {
  constructor(@Inject(HealthMonitor) private readonly monitor: HealthMonitor) {}

  /**
   * 200 while the database answers its probe (or, embedded, is busy), 503 when it does not: what a load balancer
   * or orchestrator probes. Answered from process state, so it never waits behind user work or the pool.
   */
  @Get('health')
  health(@Res() res: Response): void {
    const state = this.monitor.state();
    res.setHeader('Cache-Control', 'no-store');
    if (state.healthy) {
      res
        .status(200)
        .json({ status: 'ok', database: state.database, latencyMs: state.latencyMs, checkedMsAgo: state.checkedMsAgo });
    } else {
      res.status(503).json({ status: 'error', database: 'down', error: state.error, checkedMsAgo: state.checkedMsAgo });
    }
  }
}
