/** Facts about an error thrown by the AWS SDK, read without trusting its shape. */
export interface S3ErrorInfo {
  /** Service error code (`NoSuchBucket`, `AccessDenied`, …) or Node's network code (`ECONNREFUSED`). */
  name: string;
  status: number | undefined;
  /** True for failures below HTTP: refused, reset, DNS, timeouts. */
  network: boolean;
  message: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

// Access key ids look like AKIA…/ASIA…; the SDK keeps them on some error objects (never in the
// message we build from), but a server may echo one in a message, so scrub defensively.
const ACCESS_KEY_PATTERN = /(?<![A-Za-z0-9])(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}(?![A-Za-z0-9])/g;

export function redactSecrets(text: string): string {
  return text.replace(ACCESS_KEY_PATTERN, '$1…(redacted)');
}

export function s3ErrorInfo(error: unknown): S3ErrorInfo {
  const e = (error ?? {}) as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = code && NETWORK_CODES.has(code) ? code : typeof e.name === 'string' ? e.name : (code ?? 'Error');
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const rawMessage = typeof error === 'string' ? error : typeof e.message === 'string' ? e.message : '';
  const network = status === undefined && (NETWORK_CODES.has(name) || (code !== undefined && NETWORK_CODES.has(code)));
  return { name, status, network, message: firstLine(redactSecrets(rawMessage)) };
}

/** `NoSuchKey (HTTP 404): The specified key does not exist.` — one line, no secrets. */
export function describeS3Error(error: unknown): string {
  const info = s3ErrorInfo(error);
  const status = info.status !== undefined ? ` (HTTP ${info.status})` : '';
  const message = info.message && info.message !== info.name && info.message !== 'UnknownError' ? `: ${info.message}` : '';
  return `${info.name}${status}${message}`;
}

export function isNotFound(error: unknown): boolean {
  const info = s3ErrorInfo(error);
  return info.status === 404 || info.name === 'NotFound' || info.name === 'NoSuchKey';
}

function firstLine(text: string): string {
  const line = text.split(/\r\n|[\r\n\u2028\u2029]/).find((part) => part.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
