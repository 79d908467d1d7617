/** Which S3 server the integration tests run against: s3rver (`npm test`) or radosgw (`npm run test:rgw`). */
export type TestServerKind = 's3rver' | 'rgw';

function chooseServer(value: string | undefined): TestServerKind {
  if (value === undefined || value === '' || value === 's3rver') return 's3rver';
  if (value === 'rgw') return 'rgw';
  throw new Error(`S3ZIPSYNC_TEST_SERVER must be s3rver or rgw, not ${JSON.stringify(value)}`);
}

export const TEST_SERVER: TestServerKind = chooseServer(process.env.S3ZIPSYNC_TEST_SERVER);

/**
 * For node:test's `skip` option: the test runs only against `kind`, and anywhere else the skip says
 * which server it needs and why, so a skipped test is never silent. docs/s3-servers.md lists them all.
 */
export function onlyOn(kind: TestServerKind, why: string): string | false {
  return TEST_SERVER === kind ? false : `needs ${kind}: ${why} (this run uses ${TEST_SERVER})`;
}

/**
 * Extra writes a run sends to learn how the server compares `If-Match`: none where the quoted ETag
 * works (AWS, s3rver); on radosgw 16.2 the first refused update teaches the run the bare form, and each
 * update already sent quoted by then is written once more after one HeadObject (docs/conditional-writes.md).
 */
export function ifMatchLearningWrites(updates: number): { min: number; max: number } {
  return TEST_SERVER === 'rgw' && updates > 0 ? { min: 1, max: updates } : { min: 0, max: 0 };
}

/** Asserts `extra` (PutObjects beyond one per written entry) is what learning If-Match may cost. */
export function assertIfMatchLearning(extra: number, updates: number, message?: string): void {
  const { min, max } = ifMatchLearningWrites(updates);
  if (extra < min || extra > max) throw new Error(`${extra} extra PutObject(s) for ${updates} update(s), expected ${min}–${max} on ${TEST_SERVER}${message ? `: ${message}` : ''}`);
}
