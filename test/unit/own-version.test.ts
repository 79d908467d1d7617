import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ownVersion, versionRequested } from '../../bin/own-version.js';

test('--version is asked for anywhere before --, as yargs reads it', () => {
  assert.equal(versionRequested(['--version']), true);
  assert.equal(versionRequested(['site.zip', '--bucket', 'b', '--version']), true);
  assert.equal(versionRequested(['site.zip', '--', '--version']), false);
  assert.equal(versionRequested(['site.zip', '--bucket', 'version']), false);
  assert.equal(versionRequested([]), false);
});

test("the version is s3zipsync's even below a consumer's package.json, from any depth", () => {
  const root = mkdtempSync(join(tmpdir(), 's3zipsync-version-'));
  try {
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0' }));
    const installed = join(root, 'node_modules/s3zipsync');
    mkdirSync(join(installed, 'dist/cli'), { recursive: true });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 's3zipsync', version: '9.8.7' }));
    // A package.json of another name in between (as a nested "type" marker would be) is passed over.
    writeFileSync(join(installed, 'dist/package.json'), JSON.stringify({ type: 'module' }));
    assert.equal(ownVersion(pathToFileURL(join(installed, 'dist/cli/launcher.js')).href), '9.8.7');
    assert.equal(ownVersion(pathToFileURL(join(root, 'elsewhere.js')).href), 'unknown');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
