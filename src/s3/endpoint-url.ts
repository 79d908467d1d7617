/**
 * What is wrong with an S3 endpoint as given, or undefined when it is usable. The SDK reads
 * `localhost:4568` as scheme `localhost:` and fails at the first request with "Custom endpoint
 * `localhost://4568` was not a valid URI"; the fix is one word, so say it. A host without a scheme
 * gets `http://` when it is local or an IP address (test servers), `https://` otherwise.
 */
export function endpointUrlMistake(text: string): string | undefined {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return `it needs a scheme: write ${/^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\])(:|\/|$)/i.test(trimmed) ? 'http' : 'https'}://${trimmed}`;
  }
  if (scheme !== 'http' && scheme !== 'https') return `the scheme must be http:// or https://, not ${scheme}://`;
  try {
    new URL(trimmed);
  } catch {
    return 'it is not a valid URL (e.g. http://localhost:4568, https://s3.example.com)';
  }
  return undefined;
}
