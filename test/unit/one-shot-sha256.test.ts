import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { OneShotSha256 } from '../../src/s3/transport/one-shot-sha256.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('OneShotSha256 (the signer’s hash)', () => {
  it('hashes and HMACs as node:crypto does, over one update or several', async () => {
    const data = Buffer.from('the canonical request\n');
    const plain = new OneShotSha256();
    plain.update(data);
    assert.equal(hex(await plain.digest()), createHash('sha256').update(data).digest('hex'));

    const keyed = new OneShotSha256('AWS4secret');
    keyed.update(data.subarray(0, 5));
    keyed.update(data.subarray(5));
    assert.equal(hex(await keyed.digest()), createHmac('sha256', 'AWS4secret').update(data).digest('hex'));

    const binaryKey = new Uint8Array(createHmac('sha256', 'k').update('x').digest());
    const derived = new OneShotSha256(binaryKey);
    derived.update(data);
    assert.equal(hex(await derived.digest()), createHmac('sha256', Buffer.from(binaryKey)).update(data).digest('hex'));
  });

  it('reset forgets what was fed', async () => {
    const hash = new OneShotSha256();
    hash.update(Buffer.from('junk'));
    hash.reset();
    hash.update(Buffer.from('x'));
    assert.equal(hex(await hash.digest()), createHash('sha256').update('x').digest('hex'));
  });

  it('gives the SDK signer the signature it computes with its own hash', async () => {
    const options = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, region: 'eu-west-1', service: 's3', uriEscapePath: false, applyChecksum: true };
    const request = () =>
      new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/b/a%20b.txt', query: { x: 'y' }, headers: { host: '127.0.0.1:9000', 'content-length': '3' }, body: Buffer.from('abc') });
    const signingDate = new Date('2026-12-01T00:00:00Z');
    const theirs = await new SignatureV4({ ...options, sha256: Sha256 }).sign(request(), { signingDate });
    const ours = await new SignatureV4({ ...options, sha256: OneShotSha256 }).sign(request(), { signingDate });
    assert.equal(ours.headers.authorization, theirs.headers.authorization);
    assert.equal(ours.headers['x-amz-content-sha256'], createHash('sha256').update('abc').digest('hex'));
  });
});
