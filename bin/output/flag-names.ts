/**
 * Library messages name option fields in backticks (`maxEntrySize`); on the command line the user
 * typed flags, so the CLI shows those instead. Fields with no flag of their own stay as they are.
 */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  bucket: '--bucket',
  prefix: '--prefix',
  concurrency: '--concurrency',
  pacer: '--pacer',
  listRanges: '--list-ranges',
  partSize: '--part-size',
  delete: '--delete',
  deleteWholeBucket: '--delete-whole-bucket',
  deleteExcluded: '--delete-excluded',
  maxDelete: '--max-delete',
  shard: '--shard',
  strategy: '--strategy',
  compare: '--compare',
  gzip: '--gzip',
  s3Checksum: '--s3-checksum',
  maxEntrySize: '--max-entry-size',
  maxEntries: '--max-entries',
  maxTotalSize: '--max-total-size',
  region: '--region',
  endpoint: '--endpoint-url',
  profile: '--profile',
  forcePathStyle: '--force-path-style',
  maxAttempts: '--max-attempts',
  retryMode: '--retry-mode',
  stallTimeoutMs: '--stall-timeout',
  dryRun: '--dry-run',
  filters: '--include/--exclude',
  excludeJunk: '--exclude-junk',
  cacheControl: '--cache-control',
  contentDisposition: '--content-disposition',
  contentLanguage: '--content-language',
  expires: '--expires',
  contentType: '--content-type',
  contentTypeFor: '--content-type-for',
  metadata: '--metadata',
  headerFor: '--header-for',
  storageClass: '--storage-class',
  sse: '--sse',
  sseKmsKeyId: '--sse-kms-key-id',
  acl: '--acl',
  compareHeaders: '--compare-headers',
};

export function withFlagNames(message: string): string {
  return message.replace(/`([A-Za-z0-9]+)`/g, (whole, option: string) => FLAG_OF_OPTION[option] ?? whole);
}
