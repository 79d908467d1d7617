import type { FaultRequestInfo, FaultRule } from '../../tools/s3-proxy/fault-proxy.js';

/**
 * What the fault proxy saw of multipart uploads. s3rver cannot list them (ListMultipartUploads
 * answers 501), so "none left behind" is checked from the requests instead: every upload that got
 * a part must have been completed or had an abort sent, and no upload was created without parts,
 * completion or abort that we could not see.
 */
export interface MultipartLedger {
  /** Put first in the proxy's rules: it records every request and never matches. */
  rule: FaultRule;
  creates(): number;
  /** Upload ids that received parts or a completion or an abort. */
  uploadIds(): Set<string>;
  completed(): Set<string>;
  aborted(): Set<string>;
  /** Upload ids neither completed nor aborted: what ListMultipartUploads would still show. */
  leftBehind(): string[];
  reset(): void;
}

export function multipartLedger(): MultipartLedger {
  let log: FaultRequestInfo[] = [];
  const idsOf = (operations: string[]) =>
    new Set(
      log
        .filter((req) => operations.includes(req.operation))
        .map((req) => new URL(req.url, 'http://x').searchParams.get('uploadId'))
        .filter((id): id is string => id !== null),
    );
  return {
    rule: {
      match: (req) => {
        log.push(req);
        return false;
      },
    },
    creates: () => log.filter((req) => req.operation === 'CreateMultipartUpload').length,
    uploadIds: () => idsOf(['UploadPart', 'CompleteMultipartUpload', 'AbortMultipartUpload']),
    completed: () => idsOf(['CompleteMultipartUpload']),
    aborted: () => idsOf(['AbortMultipartUpload']),
    leftBehind() {
      const done = new Set([...this.completed(), ...this.aborted()]);
      return [...this.uploadIds()].filter((id) => !done.has(id));
    },
    reset: () => {
      log = [];
    },
  };
}
