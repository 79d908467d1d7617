import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { deleteRequestBody, parseDeleteResult, parseErrorBody, parseListObjectsV2 } from '../../src/s3/transport/s3-xml.js';

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

describe('S3 XML answers', () => {
  it('reads a listing page: keys kept verbatim (spaces, entities, number-like), sizes, ETags, token, prefixes', () => {
    const page = parseListObjectsV2(
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix>' +
        '<NextContinuationToken>1a/b+c=</NextContinuationToken><KeyCount>4</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>' +
        '<Contents><Key> lead and trail </Key><LastModified>2026-12-01T00:00:00.000Z</LastModified><ETag>&quot;e1&quot;</ETag><Size>5</Size><StorageClass>STANDARD</StorageClass></Contents>' +
        '<Contents><Key>a&amp;b&lt;c&gt;&#x41;</Key><ETag>"e2-3"</ETag><Size>0</Size></Contents>' +
        '<Contents><Key>0123</Key><Size>12345678901</Size></Contents>' +
        '<Contents><Key><![CDATA[x<y]]></Key><Size>7</Size></Contents>' +
        '<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>true</Prefix></CommonPrefixes></ListBucketResult>',
    );
    assert.deepEqual(page, {
      Contents: [
        { Key: ' lead and trail ', Size: 5, ETag: '"e1"' },
        { Key: 'a&b<c>A', Size: 0, ETag: '"e2-3"' },
        { Key: '0123', Size: 12345678901 },
        { Key: 'x<y', Size: 7 },
      ],
      CommonPrefixes: [{ Prefix: 'dir/' }, { Prefix: 'true' }],
      IsTruncated: true,
      NextContinuationToken: '1a/b+c=',
      KeyCount: 4,
    });
  });

  it('reads the last page of a listing and an empty one', () => {
    assert.deepEqual(parseListObjectsV2('<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>'), {
      Contents: [],
      CommonPrefixes: [],
      IsTruncated: false,
      KeyCount: 0,
    });
  });

  it('gives the same page as fast-xml-parser, the parser it replaced, on a page of awkward keys', () => {
    const alphabet = ['a', 'Z', '0', ' ', '&', '<', '>', '"', "'", '/', '!', 'é', '世', '😀', '%', '+', '=', '\t'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const objects = Array.from({ length: 300 }, (_, i) => ({
      Key: `p/${Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}-${i}`,
      Size: Math.floor(random() * 1e9),
      ETag: `"${i.toString(16).padStart(32, '0')}"`,
    }));
    const xml = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>${objects
      .map((o) => `<Contents><Key>${escapeXml(o.Key)}</Key><ETag>${escapeXml(o.ETag)}</ETag><Size>${o.Size}</Size></Contents>`)
      .join('')}</ListBucketResult>`;
    const oracle = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, ignoreDeclaration: true, isArray: (name) => name === 'Contents' });
    const expected = (oracle.parse(xml) as { ListBucketResult: { Contents: { Key: string; Size: string; ETag: string }[] } }).ListBucketResult.Contents.map((c) => ({
      Key: c.Key,
      Size: Number(c.Size),
      ETag: c.ETag,
    }));
    assert.deepEqual(expected, objects, 'the oracle reads the generated page back');
    assert.deepEqual(parseListObjectsV2(xml).Contents, objects);
  });

  it('refuses a malformed listing rather than returning part of it', () => {
    assert.throws(() => parseListObjectsV2('<ListBucketResult><Contents><Key>a</Key></Contents>'));
    assert.throws(() => parseListObjectsV2('<ListBucketResult><Contents><Key>a &bogus; b</Key></Contents></ListBucketResult>'));
  });

  it("reads S3's error XML, and nothing from a body that is not", () => {
    assert.deepEqual(
      parseErrorBody('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The bucket &quot;x&quot; does not exist</Message><BucketName>x</BucketName><RequestId>R1</RequestId></Error>'),
      { code: 'NoSuchBucket', message: 'The bucket "x" does not exist', requestId: 'R1' },
    );
    assert.deepEqual(parseErrorBody('<Error><Code>PermanentRedirect</Code><Region>eu-west-1</Region></Error>'), { code: 'PermanentRedirect', region: 'eu-west-1' });
    assert.deepEqual(parseErrorBody('<html>Bad Gateway</html>'), {});
    assert.deepEqual(parseErrorBody('<Error><Code>Half'), {});
  });

  it('reads the keys a DeleteObjects could not delete, and builds its request with keys escaped', () => {
    assert.deepEqual(
      parseDeleteResult('<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Error><Key>b&amp;c</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error><Error><Key>d</Key></Error></DeleteResult>'),
      [{ Key: 'b&c', Code: 'AccessDenied', Message: 'Access Denied' }, { Key: 'd' }],
    );
    assert.deepEqual(parseDeleteResult('<DeleteResult></DeleteResult>'), []);
    const body = deleteRequestBody(['a&b', '<c>']);
    assert.match(body, /<Key>a&amp;b<\/Key>/);
    assert.match(body, /<Key>&lt;c&gt;<\/Key>/);
  });
});
