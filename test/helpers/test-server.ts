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
