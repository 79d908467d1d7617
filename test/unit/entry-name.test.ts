import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { unsafeEntryNameReason } from '../../src/zip/entry-name.js';

describe('unsafeEntryNameReason', () => {
  const safe = [
    'a.txt',
    'dir/',
    'dir/sub/',
    'dir/file.txt',
    'deep/nested/path/to/file.bin',
    '日本語/ファイル.txt',
    'café/naïve.md',
    'emoji-😀.png',
    '.hidden',
    'dir/.gitignore',
    '..foo',
    'a..b/c...d',
    'name with spaces.txt',
    '~/not-a-home.txt',
    'dir/c:/x', // a drive letter only matters at the start
    '1:/x',
  ];

  for (const name of safe) {
    test(`accepts ${JSON.stringify(name)}`, () => {
      assert.equal(unsafeEntryNameReason(name), null);
    });
  }

  const unsafe: Array<{ name: string; kind: RegExp }> = [
    { name: '/etc/passwd', kind: /^absolute entry name: / },
    { name: '/', kind: /^absolute entry name: / },
    { name: '//server/share/x', kind: /^absolute entry name: / },
    { name: 'C:/x', kind: /^absolute entry name: / },
    { name: 'c:x', kind: /^absolute entry name: / },
    { name: '../evil.txt', kind: /^entry name escapes the target with "\.\.": / },
    { name: 'a/../../b', kind: /^entry name escapes the target with "\.\.": / },
    { name: 'a/..', kind: /^entry name escapes the target with "\.\.": / },
    { name: '..', kind: /^entry name escapes the target with "\.\.": / },
    { name: '../', kind: /^entry name escapes the target with "\.\.": / },
    { name: 'a\\b.txt', kind: /^entry name contains a backslash: / },
    { name: '..\\evil.txt', kind: /^entry name contains a backslash: / },
    { name: 'a\0b.txt', kind: /^entry name contains a NUL byte: / },
    { name: 'a//b', kind: /^entry name has an empty or "\." segment: / },
    { name: 'a/./b', kind: /^entry name has an empty or "\." segment: / },
    { name: './a', kind: /^entry name has an empty or "\." segment: / },
    { name: '.', kind: /^entry name has an empty or "\." segment: / },
    { name: './', kind: /^entry name has an empty or "\." segment: / },
    { name: 'dir//', kind: /^entry name has an empty or "\." segment: / },
  ];

  for (const { name, kind } of unsafe) {
    test(`rejects ${JSON.stringify(name)}`, () => {
      const reason = unsafeEntryNameReason(name);
      assert.ok(reason !== null, 'expected a reason');
      assert.match(reason, kind);
      // The bad value is quoted as JSON so a NUL or a trailing space stays visible in a one-line message.
      assert.ok(reason.endsWith(JSON.stringify(name)), `reason should end with the quoted name: ${reason}`);
      const wording = reason.slice(0, reason.length - JSON.stringify(name).length);
      // NUL is the character's name, not a capitalised word.
      assert.equal(wording.replace('NUL', 'nul'), wording.toLowerCase(), `wording should be lower-case: ${reason}`);
      assert.ok(!reason.includes('\n'));
    });
  }

  test('rejects the empty name with a lower-case message', () => {
    assert.equal(unsafeEntryNameReason(''), 'empty entry name');
  });

  test('quotes a NUL byte visibly rather than embedding it', () => {
    const reason = unsafeEntryNameReason('a\0b');
    assert.ok(reason !== null);
    assert.ok(!reason.includes('\0'));
    assert.ok(reason.includes('"a\\u0000b"'));
  });
});
