import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

@Controller()
export class HealthController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** 200 when the database answers, 503 otherwise: what a load balancer or orchestrator probes. */
  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const started = Date.now();
    try {
      await this.db.query('SELECT 1');
      res.status(200).json({ status: 'ok', database: 'up', latencyMs: Date.now() - started });
    } catch (error) {
      res.status(503).json({ status: 'error', database: 'down', error: (error as Error).message });
    }
  }
}
