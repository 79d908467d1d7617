/**
 * What was meant, when `--bucket` or `--prefix` holds an `s3://` URL (as aws-cli users type a
 * destination); null when both are plain. Without this, `--bucket s3://b` fails as an S3 error and
 * `--prefix s3://b/p` silently makes keys starting with `s3://`.
 */
export function destinationMistake(bucket: string, prefix: string | undefined): string | null {
  for (const [flag, value] of [['bucket', bucket], ['prefix', prefix]] as const) {
    const url = value === undefined ? null : /^s3:\/\/([^/]*)\/?(.*)$/i.exec(value);
    if (!url) continue;
    const [, urlBucket, urlPrefix] = url;
    const meant = `--bucket ${urlBucket || '<bucket>'}${urlPrefix ? ` --prefix ${urlPrefix}` : ''}`;
    return `--${flag} takes a ${flag === 'bucket' ? 'bucket name' : 'folder inside the bucket'}, not an s3:// URL: use ${meant}`;
  }
  return null;
}
