import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../import-job/import-job.types.js';
import { doubtAboutListing } from './listing-doubt.js';

const complete = {
  query: null,
  selectedExternalIds: null,
  total: 300,
  counts: { ...emptyCounts(), fetched: 300 },
};

describe('whether a listing surely had every user of the application', () => {
  it('trusts a whole, unfiltered listing whose total agrees (or that gives none)', () => {
    expect(doubtAboutListing(complete, { unidentified: 0 })).toBeNull();
    expect(doubtAboutListing({ ...complete, total: null }, { unidentified: 0 })).toBeNull();
  });

  it('doubts a filter, a selection, users without an id and a total that disagrees, saying why', () => {
    expect(doubtAboutListing({ ...complete, query: 'dept=ops' }, { unidentified: 0 })).toBe(
      'the listing was filtered (query)',
    );
    expect(doubtAboutListing({ ...complete, selectedExternalIds: ['1'] }, { unidentified: 0 })).toBe(
      'only selected users were read',
    );
    expect(doubtAboutListing(complete, { unidentified: 2 })).toBe('2 listed users had no external id');
    expect(doubtAboutListing({ ...complete, total: 310 }, { unidentified: 0 })).toBe(
      "the application's total (310) disagrees with the 300 users read",
    );
  });
});
