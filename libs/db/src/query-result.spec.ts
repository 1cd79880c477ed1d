import { describe, expect, it } from '@jest/globals';
import { returnedRows } from './query-result.js';

describe('returnedRows', () => {
  it('takes the rows from an UPDATE/DELETE answer and passes SELECT rows through', () => {
    expect(returnedRows([[{ id: 1 }, { id: 2 }], 2])).toEqual([{ id: 1 }, { id: 2 }]);
    expect(returnedRows([[], 0])).toEqual([]);
    expect(returnedRows([{ id: 1 }])).toEqual([{ id: 1 }]);
    expect(returnedRows([])).toEqual([]);
  });
});
