import { Injectable } from '@nestjs/common';

/** The time the approval job approves at: the wall clock, replaced in tests (no sleeping through 30 days). */
@Injectable()
export class EarningsClock {
  now: () => Date = () => new Date();
}
