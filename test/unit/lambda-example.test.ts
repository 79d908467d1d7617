import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parseEvent } from '../../src/lambda/events.js';
import { IncompleteSyncError } from '../../src/lambda/handler.js';

// The example is not deployed from here; these checks keep it in step with the handler it invokes.
const definition = JSON.parse(fs.readFileSync('examples/lambda/state-machine.asl.json', 'utf8')) as {
  States: { SyncShards: { ItemSelector: Record<string, unknown>; ItemProcessor: { States: { SyncShard: { Retry: Array<{ ErrorEquals: string[] }> } } } } };
};

describe('examples/lambda/state-machine.asl.json', () => {
  it('each Map item is a direct invocation the handler reads as { bucket, key, shard }', () => {
    const selector = definition.States.SyncShards.ItemSelector;
    assert.deepEqual(Object.keys(selector).sort(), ['bucket.$', 'key.$', 'shard']);
    assert.deepEqual(Object.keys(selector.shard as object).sort(), ['count.$', 'index.$']);
    // What Step Functions makes of it for item 3 of 16:
    const payload = { bucket: 'incoming', key: 'huge/a.zip', shard: { index: 3, count: 16 } };
    assert.deepEqual(parseEvent(payload).jobs, [payload]);
  });

  it('retries on the error name the handler throws when a shard is incomplete', () => {
    const name = new IncompleteSyncError({ complete: false, archives: [], skipped: [], batchItemFailures: [] }).name;
    const retried = definition.States.SyncShards.ItemProcessor.States.SyncShard.Retry.flatMap((retry) => retry.ErrorEquals);
    assert.ok(retried.includes(name), `${name} not in ${retried.join(', ')}`);
  });
});
