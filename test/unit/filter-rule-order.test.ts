import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderFilterRules } from '../../bin/filter-rule-order.js';

describe('orderFilterRules', () => {
  it('restores the command-line order that yargs loses, in both flag spellings', () => {
    const args = ['site.zip', '--exclude', '*', '--bucket', 'b', '--include=*.html', '--exclude', 'drafts/**', '--include', 'x'];
    assert.deepEqual(orderFilterRules(args, ['*.html', 'x'], ['*', 'drafts/**']), [
      { exclude: '*' },
      { include: '*.html' },
      { exclude: 'drafts/**' },
      { include: 'x' },
    ]);
  });

  it('puts values from the environment first, excludes before includes', () => {
    assert.deepEqual(orderFilterRules(['--exclude', 'b'], ['env-inc'], ['env-exc', 'b']), [{ exclude: 'env-exc' }, { include: 'env-inc' }, { exclude: 'b' }]);
  });

  it('does not mistake --exclude-junk or arguments after -- for filters', () => {
    assert.deepEqual(orderFilterRules(['--exclude-junk', '--no-exclude-junk', '--', '--include', 'z'], [], []), []);
  });
});
