import { Injectable } from '@nestjs/common';

/**
 * The time every affiliate decision is made at: rule changes, offer windows, clicks and their 30-minute dedupe.
 * Tests replace `now` (`app.get(AffiliateClock).now = () => …`) to move through time without sleeping.
 */
@Injectable()
export class AffiliateClock {
  now(): Date {
    return new Date();
  }
}
