import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeS3Error, isNotFound, redactSecrets, s3ErrorInfo } from '../../src/s3/s3-error.js';
import { sdkError } from '../helpers/sdk-errors.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

function networkError(code: string, message = `connect ${code} 127.0.0.1:9`): Error {
  return Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });
}

describe('s3ErrorInfo', () => {
  it('reads name, status and message from an SDK service error', () => {
    assert.deepEqual(s3ErrorInfo(sdkError('NoSuchBucket', 404, 'The specified bucket does not exist')), {
      name: 'NoSuchBucket',
      status: 404,
      network: false,
      message: 'The specified bucket does not exist',
    });
  });

  it('uses the Node code of a network error as its name and marks it network', () => {
    assert.deepEqual(s3ErrorInfo(networkError('ECONNREFUSED')), {
      name: 'ECONNREFUSED',
      status: undefined,
      network: true,
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
    for (const code of ['ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']) {
      const info = s3ErrorInfo(networkError(code));
      assert.equal(info.name, code);
      assert.equal(info.network, true, code);
    }
  });

  it('network error after the SDK retry middleware added $metadata without a status is still network', () => {
    const error = Object.assign(networkError('ECONNRESET'), { $metadata: { attempts: 3, totalRetryDelay: 200 } });
    const info = s3ErrorInfo(error);
    assert.equal(info.network, true);
    assert.equal(info.status, undefined);
  });

  it('SDK TimeoutError (name, no code) is network', () => {
    const error = Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' });
    assert.equal(s3ErrorInfo(error).network, true);
    assert.equal(s3ErrorInfo(error).name, 'TimeoutError');
  });

  it('an HTTP answer is never network, even with a network-like name', () => {
    // S3's RequestTimeout is a 400 the server sent: the endpoint was reached.
    const info = s3ErrorInfo(sdkError('RequestTimeout', 400, 'Your socket connection to the server was not read from'));
    assert.equal(info.status, 400);
    assert.equal(info.network, false);
  });

  it('a non-network code does not override the name', () => {
    const error = Object.assign(new Error('bad'), { name: 'CustomError', code: 'ERR_SOMETHING' });
    assert.equal(s3ErrorInfo(error).name, 'CustomError');
    assert.equal(s3ErrorInfo(error).network, false);
  });

  it('a code-only object uses the code as its name', () => {
    assert.equal(s3ErrorInfo({ code: 'ERR_X', message: 'm' }).name, 'ERR_X');
  });

  it('non-Error values give a generic, non-network result instead of throwing', () => {
    for (const value of [undefined, null, 'boom', 42, true, {}, [], Symbol('s')]) {
      const info = s3ErrorInfo(value);
      assert.equal(info.name, 'Error', String(typeof value));
      assert.equal(info.status, undefined);
      assert.equal(info.network, false);
      assert.equal(typeof info.message, 'string');
    }
  });

  it('ignores a non-numeric status and non-string fields', () => {
    const info = s3ErrorInfo({ name: 7, message: { text: 'x' }, $metadata: { httpStatusCode: '404' } });
    assert.deepEqual(info, { name: 'Error', status: undefined, network: false, message: '' });
  });

  it('keeps only the first line of a multi-line message', () => {
    const error = sdkError('InternalError', 500, 'first line\n  Deserialization error: to see the raw response...\nthird');
    assert.equal(s3ErrorInfo(error).message, 'first line');
    assert.equal(s3ErrorInfo(sdkError('X', 500, 'crlf line\r\nnext')).message, 'crlf line');
  });

  it('caps a very long line at 300 characters plus an ellipsis', () => {
    const message = s3ErrorInfo(new Error('y'.repeat(1000))).message;
    assert.equal(message, `${'y'.repeat(300)}…`);
  });

  it('redacts an access key id in the message', () => {
    const info = s3ErrorInfo(sdkError('InvalidAccessKeyId', 403, `The AWS Access Key Id ${KEY_ID} does not exist`));
    assert.ok(!info.message.includes(KEY_ID));
    assert.match(info.message, /AKIA…\(redacted\)/);
  });
});

describe('describeS3Error', () => {
  it('formats name, HTTP status and message on one line', () => {
    assert.equal(
      describeS3Error(sdkError('NoSuchKey', 404, 'The specified key does not exist.')),
      'NoSuchKey (HTTP 404): The specified key does not exist.',
    );
  });

  it('omits a message that only repeats the name or is the SDK placeholder', () => {
    assert.equal(describeS3Error(sdkError('NotFound', 404, 'NotFound')), 'NotFound (HTTP 404)');
    assert.equal(describeS3Error(sdkError('Forbidden', 403, 'UnknownError')), 'Forbidden (HTTP 403)');
    assert.equal(describeS3Error(sdkError('Forbidden', 403, '')), 'Forbidden (HTTP 403)');
  });

  it('network errors have no status', () => {
    assert.equal(describeS3Error(networkError('ECONNREFUSED')), 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9');
  });

  it('a plain Error without status', () => {
    assert.equal(describeS3Error(new Error('something broke')), 'Error: something broke');
  });

  it('non-Error values do not throw', () => {
    for (const value of [undefined, null, 'boom', 42, {}]) {
      assert.equal(typeof describeS3Error(value), 'string');
      assert.match(describeS3Error(value), /^Error/);
    }
  });

  it('multi-line messages give exactly one line', () => {
    const text = describeS3Error(sdkError('InternalError', 500, 'line one\nline two\r\nline three'));
    assert.equal(text, 'InternalError (HTTP 500): line one');
    assert.ok(!/[\r\n]/.test(text));
  });

  it('never contains an access key id echoed by the server', () => {
    const text = describeS3Error(
      sdkError('SignatureDoesNotMatch', 403, `Credential=${KEY_ID}/20240101/us-east-1/s3/aws4_request is wrong`),
    );
    assert.ok(!text.includes(KEY_ID), text);
    assert.match(text, /^SignatureDoesNotMatch \(HTTP 403\): Credential=AKIA…\(redacted\)\/20240101/);
  });

  it('does not read key ids kept as error properties', () => {
    const text = describeS3Error(sdkError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: KEY_ID }));
    assert.ok(!text.includes(KEY_ID));
  });
});

describe('redactSecrets', () => {
  it('redacts long-term and temporary access key ids, keeping the kind', () => {
    assert.equal(redactSecrets(`key ${KEY_ID} here`), 'key AKIA…(redacted) here');
    assert.equal(redactSecrets('ASIAY34FZKBOKMUTVV7A'), 'ASIA…(redacted)');
    assert.equal(redactSecrets('AROAY34FZKBOKMUTVV7A'), 'AROA…(redacted)');
    assert.equal(redactSecrets('AIDAY34FZKBOKMUTVV7A'), 'AIDA…(redacted)');
  });

  it('redacts every occurrence, and works on repeated calls (global regex state)', () => {
    const text = `${KEY_ID} and ${KEY_ID}`;
    assert.equal(redactSecrets(text), 'AKIA…(redacted) and AKIA…(redacted)');
    assert.equal(redactSecrets(text), 'AKIA…(redacted) and AKIA…(redacted)');
  });

  it('redacts inside punctuation (XML, URLs, quotes)', () => {
    assert.ok(!redactSecrets(`<AWSAccessKeyId>${KEY_ID}</AWSAccessKeyId>`).includes(KEY_ID));
    assert.ok(!redactSecrets(`X-Amz-Credential=${KEY_ID}%2F20240101`).includes(KEY_ID));
    assert.ok(!redactSecrets(`"${KEY_ID}"`).includes(KEY_ID));
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['', 'The specified bucket does not exist', 'AKIA', 'AKIA1234', 'bucket akiaiosfodnn7example']) {
      assert.equal(redactSecrets(text), text);
    }
  });

  it('redacts a key id before the 300-character cap could cut it', () => {
    const message = s3ErrorInfo(new Error(`${'x'.repeat(290)} ${KEY_ID}`)).message;
    assert.ok(!message.includes('AKIAIOSFO'), message);
  });

  it('redacts a key id glued to other text and keeps one line for bare CR', () => {
    assert.doesNotMatch(redactSecrets(`key_${KEY_ID}`), /AKIAIOSFODNN7EXAMPLE/);
    assert.equal(s3ErrorInfo(new Error('a\rb')).message, 'a');
    assert.equal(s3ErrorInfo(new Error('\nreal text')).message, 'real text');
    assert.match(describeS3Error('boom'), /boom/);
  });
});

describe('isNotFound', () => {
  it('404 with any name is not found', () => {
    assert.equal(isNotFound(sdkError('NotFound', 404)), true);
    assert.equal(isNotFound(sdkError('NoSuchKey', 404)), true);
    assert.equal(isNotFound(sdkError('UnknownError', 404)), true);
  });

  it('NotFound / NoSuchKey names count even without a status', () => {
    assert.equal(isNotFound(sdkError('NotFound', undefined)), true);
    assert.equal(isNotFound(sdkError('NoSuchKey', undefined)), true);
  });

  it('denials, server errors, network errors and non-errors are not "not found"', () => {
    assert.equal(isNotFound(sdkError('AccessDenied', 403)), false);
    assert.equal(isNotFound(sdkError('Forbidden', 403)), false);
    assert.equal(isNotFound(sdkError('InternalError', 500)), false);
    assert.equal(isNotFound(networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND bucket.example')), false);
    assert.equal(isNotFound(new Error('not found')), false);
    assert.equal(isNotFound(undefined), false);
    assert.equal(isNotFound(null), false);
    assert.equal(isNotFound('NotFound'), false);
  });
});
