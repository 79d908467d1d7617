import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRequests } from '../../bench/harness/requests.js';

describe('formatRequests', () => {
  it('orders operations by count, then name, and groups thousands', () => {
    assert.equal(formatRequests({ HeadObject: 2003, ListObjectsV2: 1, PutObject: 2003 }, { total: 4007 }), '4,007 (HeadObject 2,003, PutObject 2,003, ListObjectsV2 1)');
  });

  it('shows the spread of totals only when it is one', () => {
    assert.equal(formatRequests({ PutObject: 10, ListObjectsV2: 1 }, { total: 11, min: 11, max: 12 }), '11 [11–12] (PutObject 10, ListObjectsV2 1)');
    assert.equal(formatRequests({ PutObject: 10 }, { total: 10, min: 10, max: 10 }), '10 (PutObject 10)');
  });

  it('names an empty list, and leaves out operations counted zero', () => {
    assert.equal(formatRequests({ HeadObject: 0 }, { empty: 'none through the SDK' }), 'none through the SDK');
    assert.equal(formatRequests({}), 'none');
  });
});
