import { Injectable } from '@nestjs/common';

/**
 * The time campaigns run at: dates, pacing, the UTC day spend is counted in, click dedupe. Tests replace `now`
 * (`app.get(AdsClock).now = () => …`) to move through a day without sleeping.
 */
@Injectable()
export class AdsClock {
  now(): Date {
    return new Date();
  }
}
