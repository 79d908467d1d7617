import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileEntryFilter, JUNK_PATTERNS } from '../../src/filter/entry-filter.js';

const included = (filter: ReturnType<typeof compileEntryFilter>, paths: string[]) => paths.filter((path) => filter.verdict(path).included);

describe('compileEntryFilter', () => {
  it('excludes macOS and Windows junk by default, at any depth, and nothing else', () => {
    const filter = compileEntryFilter();
    const paths = ['__MACOSX/._index.html', '__MACOSX/css/._site.css', '.DS_Store', 'css/.DS_Store', 'Thumbs.db', 'img/Thumbs.db', 'index.html', 'css/.DS_Store.txt', 'my__MACOSX/a', 'img/thumbs.db.png'];
    assert.deepEqual(included(filter, paths), ['index.html', 'css/.DS_Store.txt', 'my__MACOSX/a', 'img/thumbs.db.png']);
    assert.equal(filter.verdict('css/.DS_Store').rule, 'junk **/.DS_Store');
  });

  it('keeps junk with excludeJunk false, and has no rules then', () => {
    const filter = compileEntryFilter({ excludeJunk: false });
    assert.equal(filter.empty, true);
    assert.deepEqual(included(filter, ['__MACOSX/._a', '.DS_Store']), ['__MACOSX/._a', '.DS_Store']);
    assert.equal(compileEntryFilter().empty, false);
    assert.equal(JUNK_PATTERNS.length, 3);
  });

  it('evaluates rules in order and the last match wins (aws s3 sync)', () => {
    const onlyHtml = compileEntryFilter({ rules: [{ exclude: '*' }, { include: '*.html' }] });
    assert.deepEqual(included(onlyHtml, ['index.html', 'docs/a.html', 'app.js']), ['index.html', 'docs/a.html']);
    // Same patterns, other order: the exclude now comes last and wins everywhere.
    const nothing = compileEntryFilter({ rules: [{ include: '*.html' }, { exclude: '*' }] });
    assert.deepEqual(included(nothing, ['index.html', 'app.js']), []);
    assert.equal(onlyHtml.verdict('app.js').rule, '--exclude *');
    assert.equal(onlyHtml.verdict('index.html').rule, '--include *.html');
  });

  it('a pattern without "/" matches the last segment at any depth; one with "/" matches the whole path', () => {
    const filter = compileEntryFilter({ rules: [{ exclude: '*.map' }, { exclude: 'drafts/**' }, { exclude: 'docs/*.tmp' }] });
    const paths = ['app.js.map', 'js/app.js.map', 'drafts/a.md', 'drafts/deep/b.md', 'site/drafts/c.md', 'docs/x.tmp', 'docs/sub/x.tmp', 'app.js'];
    assert.deepEqual(included(filter, paths), ['site/drafts/c.md', 'docs/sub/x.tmp', 'app.js']);
  });

  it('dot files match "*" like any other file', () => {
    const filter = compileEntryFilter({ rules: [{ exclude: 'config/*' }] });
    assert.deepEqual(included(filter, ['config/.env', 'config/a.json', 'b.json']), ['b.json']);
  });

  it('the user can include junk again, since their rules come after the junk rules', () => {
    const filter = compileEntryFilter({ rules: [{ include: '.DS_Store' }] });
    assert.deepEqual(included(filter, ['a/.DS_Store', 'Thumbs.db']), ['a/.DS_Store']);
  });

  it('refuses empty and absolute patterns with a one-line message naming them', () => {
    assert.throws(() => compileEntryFilter({ rules: [{ include: ' ' }] }), { code: 'INVALID_OPTION', message: 'empty include pattern: " "' });
    assert.throws(() => compileEntryFilter({ rules: [{ exclude: '/index.html' }] }), { code: 'INVALID_OPTION', message: /never start with "\/": "\/index\.html"/ });
  });
});
