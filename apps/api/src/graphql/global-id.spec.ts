import { describe, expect, it } from '@jest/globals';
import { NotFoundError } from '@brandshelf/core';
import { publicDetails, publicMessage, toGlobalId } from './global-id.js';

const FEED = '3f2a5c1e-8b7d-4e1f-9a0b-1c2d3e4f5a6b';
const RUN = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';

describe('publicMessage and publicDetails: the ids an error names, as global ids', () => {
  it("answers a NotFoundError's id as a global id of its entity, in the message and the details", () => {
    const error = new NotFoundError('Feed', FEED);
    expect(error.message).toBe(`Feed ${FEED} was not found.`);
    expect(publicMessage(error.message, error.details)).toBe(`Feed ${toGlobalId('Feed', FEED)} was not found.`);
    expect(publicDetails(error.details)).toEqual({ entity: 'Feed', id: toGlobalId('Feed', FEED) });
  });

  it('reads the id as idType when the lib says it is another type (idType itself is not answered)', () => {
    const error = new NotFoundError('ShopifyStore of feed', FEED, { idType: 'Feed' });
    expect(publicMessage(error.message, error.details)).toBe(
      `ShopifyStore of feed ${toGlobalId('Feed', FEED)} was not found.`,
    );
    expect(publicDetails(error.details)).toEqual({ entity: 'ShopifyStore of feed', id: toGlobalId('Feed', FEED) });
    const set = new NotFoundError('Product set', RUN, { idType: 'ProductSet' });
    expect(publicMessage(set.message, set.details)).toBe(`Product set ${toGlobalId('ProductSet', RUN)} was not found.`);
  });

  it('rewrites every id the details name by key, wherever and however often the message names it', () => {
    const details = { runId: RUN, feedId: FEED, userErrorCode: 'RUN_ALREADY_ACTIVE' };
    const message = `Feed ${FEED} already has run ${RUN.toUpperCase()} queued; run ${RUN} must end first.`;
    expect(publicMessage(message, details)).toBe(
      `Feed ${toGlobalId('Feed', FEED)} already has run ${toGlobalId('IngestionRun', RUN)} queued; run ${toGlobalId('IngestionRun', RUN)} must end first.`,
    );
  });

  it('leaves what is no raw id of a known type as it was', () => {
    // An order id, an entity that is no type of the API, a global id the client gave, a composite id.
    for (const error of [
      new NotFoundError('Conversion for order', 'ORDER-1'),
      new NotFoundError('Something', FEED),
      new NotFoundError('Feed', toGlobalId('Feed', FEED)),
      new NotFoundError('CatalogVersion', '3 of feed x'),
    ]) {
      expect(publicMessage(error.message, error.details)).toBe(error.message);
      expect(publicDetails(error.details)).toEqual(error.details);
    }
    expect(publicMessage(`Feed ${FEED} is busy.`, { field: 'feedId' })).toBe(`Feed ${FEED} is busy.`);
  });
});
