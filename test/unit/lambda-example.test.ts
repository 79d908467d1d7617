import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import aslValidator from 'asl-validator';
import { parseEvent } from '../../src/lambda/events.js';
import { IncompleteSyncError, SyncFailedError } from '../../src/lambda/handler.js';
import { DEFAULT_SHARD_RULE, planShards } from '../../src/lambda/shard-plan.js';
import { loadDefinition, LOCAL_FUNCTION_ARNS } from '../../tools/local-workflow/run-workflow.js';
import { ACTIONS_BY_REQUEST, grantedActions, loadTemplate } from '../helpers/sam-template.js';

// The example is not deployed from here; these checks keep it in step with the handlers it invokes.
// test/integration/lambda-workflow.test.ts runs it.
type Retrier = { ErrorEquals: string[] };
interface Definition {
  States: {
    Plan: { Parameters: { Payload: Record<string, unknown> }; Retry: Retrier[] };
    SyncShards: { MaxConcurrency: number; ItemsPath: string; ItemSelector: Record<string, unknown>; ItemProcessor: { States: { SyncShard: { Retry: Retrier[] } } } };
  };
}
const text = fs.readFileSync('examples/lambda/state-machine.asl.json', 'utf8');
const definition = JSON.parse(text) as Definition;
const template = loadTemplate();

describe('examples/lambda/state-machine.asl.json', () => {
  it('is valid Amazon States Language, ARNs and paths included, once SAM has filled in the function ARNs', async () => {
    const validation = aslValidator(await loadDefinition('examples/lambda/state-machine.asl.json'), { checkArn: true, checkPaths: true });
    assert.equal(validation.isValid, true, validation.errorsText('\n'));
  });

  it('names exactly the functions template.yaml substitutes', () => {
    const placeholders = [...text.matchAll(/\$\{([A-Za-z]+)\}/g)].map((match) => match[1]).sort();
    const substitutions = template.Resources.ShardedSync!.Properties.DefinitionSubstitutions as Record<string, unknown>;
    assert.deepEqual([...new Set(placeholders)], Object.keys(substitutions).sort());
    assert.deepEqual(Object.keys(LOCAL_FUNCTION_ARNS).sort(), Object.keys(substitutions).sort());
  });

  it('plans no more shards than the Map runs at once, the plan default included', () => {
    assert.equal(definition.States.Plan.Parameters.Payload.maxShards, definition.States.SyncShards.MaxConcurrency);
    assert.equal(DEFAULT_SHARD_RULE.maxShards, definition.States.SyncShards.MaxConcurrency);
  });

  it('each Map item is a direct invocation the handler reads as { bucket, key, shard }', () => {
    assert.equal(definition.States.SyncShards.ItemsPath, '$.shards');
    assert.deepEqual(definition.States.SyncShards.ItemSelector, { 'bucket.$': '$.bucket', 'key.$': '$.key', 'shard.$': '$$.Map.Item.Value' });
    // What Step Functions makes of it for the plan's shard 3:
    const shard = planShards({ files: 400_000, bytes: 1 }, DEFAULT_SHARD_RULE).shards[3]!;
    const payload = { bucket: 'incoming', key: 'huge/a.zip', shard };
    assert.deepEqual(parseEvent(payload).jobs, [payload]);
  });

  it('retries a shard on IncompleteSync and never on a failure for good', () => {
    const incomplete = new IncompleteSyncError({ complete: false, archives: [], skipped: [], batchItemFailures: [] }).name;
    const retried = definition.States.SyncShards.ItemProcessor.States.SyncShard.Retry.flatMap((retry) => retry.ErrorEquals);
    assert.ok(retried.includes(incomplete), `${incomplete} not in ${retried.join(', ')}`);
    const forGood = new SyncFailedError('ENTRY_CORRUPT', 'x').name;
    assert.equal(forGood, 'S3ZipSync.ENTRY_CORRUPT');
    for (const wildcard of ['States.ALL', 'States.TaskFailed', forGood]) assert.ok(!retried.includes(wildcard), wildcard);
    // The plan retries only a transient S3 answer and Lambda's own errors.
    const planRetried = definition.States.Plan.Retry.flatMap((retry) => retry.ErrorEquals);
    assert.deepEqual(planRetried.filter((name) => name.startsWith('S3ZipSync.') || name.startsWith('States.')), ['S3ZipSync.S3_ERROR']);
  });
});

describe('examples/lambda/template.yaml', () => {
  // CloudFormation's !Sub strings, as the template writes them.
  const sub = (parameter: string, objects: boolean) => `arn:\${AWS::Partition}:s3:::\${${parameter}}${objects ? '/*' : ''}`;
  const incoming = sub('IncomingBucketName', true);
  const targetBucket = sub('TargetBucketName', false);
  const targetObjects = sub('TargetBucketName', true);
  const actions = (requests: Record<string, string | readonly string[]>) => [...new Set(Object.values(requests).flat())].sort();

  it('has the buckets, the two functions and the state machine, nothing else', () => {
    assert.deepEqual(
      Object.entries(template.Resources).map(([name, resource]) => `${name} ${resource.Type}`).sort(),
      ['IncomingBucket AWS::S3::Bucket', 'PlanFunction AWS::Serverless::Function', 'ShardedSync AWS::Serverless::StateMachine', 'SyncFunction AWS::Serverless::Function', 'TargetBucket AWS::S3::Bucket'],
    );
    assert.equal(template.Resources.ShardedSync!.Properties.DefinitionUri, 'state-machine.asl.json');
  });

  it('runs both functions from the bundle on nodejs24.x, the target bundle.mjs builds for', () => {
    for (const [name, handler] of [['SyncFunction', 'index.handler'], ['PlanFunction', 'index.planHandler']] as const) {
      const properties = template.Resources[name]!.Properties;
      assert.equal(properties.Runtime, 'nodejs24.x', name);
      assert.equal(properties.Handler, handler, name);
      assert.equal(properties.CodeUri, '../../dist-lambda/', name);
    }
    assert.match(fs.readFileSync('examples/lambda/bundle.mjs', 'utf8'), /target: 'node24'/);
  });

  it('grants the sync function exactly the actions its requests need: the zip read, the target checked and written', () => {
    const targetObjectActions = actions(Object.fromEntries(Object.entries(ACTIONS_BY_REQUEST.target).filter(([request]) => request !== 'ListObjectsV2')));
    assert.deepEqual(grantedActions(template.Resources.SyncFunction!), {
      [incoming]: actions(ACTIONS_BY_REQUEST.source),
      [targetBucket]: [ACTIONS_BY_REQUEST.target.ListObjectsV2],
      [targetObjects]: targetObjectActions,
    });
  });

  it('grants the plan function only the read of the zip', () => {
    assert.deepEqual(grantedActions(template.Resources.PlanFunction!), { [incoming]: actions(ACTIONS_BY_REQUEST.source) });
  });

  it('lets the state machine invoke both functions', () => {
    const invoked = (template.Resources.ShardedSync!.Properties.Policies ?? [])
      .map((policy) => (policy.LambdaInvokePolicy as { FunctionName: { Ref: string } } | undefined)?.FunctionName.Ref)
      .filter(Boolean);
    assert.deepEqual(invoked.sort(), ['PlanFunction', 'SyncFunction']);
  });
});
