import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { BrandContext } from '@brandshelf/core';
import { RunsService } from '@brandshelf/ingestion';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId } from '../graphql/global-id.js';
import type { ContextualRequest } from './request-context.middleware.js';

@Controller('runs')
export class RunIssuesController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  /** GET /runs/:runId/issues.csv — every stored issue of the run, streamed. runId is the run's global id (or raw). */
  @Auth('brand')
  @Get(':runId/issues.csv')
  async issuesCsv(@Req() req: ContextualRequest, @Param('runId') runId: string, @Res() res: Response): Promise<void> {
    const csv = await this.runs.issuesCsv(req.context as BrandContext, fromGlobalId(runId, 'IngestionRun', 'runId'));
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="run-${runId}-issues.csv"`);
    await pipeline(csv, res).catch(() => undefined);
  }
}
