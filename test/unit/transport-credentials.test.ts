import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { resolveConnection } from '../../src/s3/resolve-connection.js';
import { createSignedHttpTransport } from '../../src/s3/transport/signed-http-transport.js';
import { isolateAwsEnv, type IsolatedAwsEnv } from '../helpers/isolated-aws-env.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/** The variables the SDK's default credential chain reads; each test sets only its own. */
const CHAIN_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_EC2_METADATA_DISABLED',
];

function credentialOf(authorization: unknown): string {
  return /Credential=([^/]+)\//.exec(String(authorization))?.[1] ?? '';
}

describe('the lean transport signs with the SDK credential chain', () => {
  let server: RecordingServer;
  let env: IsolatedAwsEnv;

  before(async () => {
    server = await startRecordingServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    // No shared files unless a test writes them.
    env = isolateAwsEnv(CHAIN_VARIABLES, 'credentials');
  });
  afterEach(() => env.restore());

  async function headWithChain(options: { profile?: string } = {}) {
    // The chain as a run resolves it: the SDK's providers, without its client.
    const transport = createSignedHttpTransport({ connection: resolveConnection({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, ...options }) });
    await transport.headObject({ bucket: 'b', key: 'k' });
    transport.destroy();
    return server.requests;
  }

  it('from the environment, session token included', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENVIRONMENT';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    process.env.AWS_SESSION_TOKEN = 'env-session-token';
    const [request] = await headWithChain();
    assert.equal(credentialOf(request!.headers.authorization), 'AKIDFROMENVIRONMENT');
    assert.equal(request!.headers['x-amz-security-token'], 'env-session-token');
  });

  it('from a named profile in the shared credentials file', async () => {
    writeFileSync(join(env.folder, 'credentials'), '[default]\naws_access_key_id = AKIDDEFAULTPROFILE\naws_secret_access_key = d\n\n[work]\naws_access_key_id = AKIDWORKPROFILE\naws_secret_access_key = w\n');
    writeFileSync(join(env.folder, 'config'), '[profile work]\nregion = us-east-1\n');
    const [request] = await headWithChain({ profile: 'work' });
    assert.equal(credentialOf(request!.headers.authorization), 'AKIDWORKPROFILE');
  });

  it('from a container credentials endpoint, fetched again when they are about to expire (the SDK chain refreshes them)', async () => {
    let served = 0;
    const provider = createServer((request, response) => {
      served++;
      assert.equal(request.headers.authorization, 'container-token');
      // Expiring within the SDK's refresh window, so each signing asks for fresh credentials.
      const expiration = new Date(Date.now() + 60_000).toISOString();
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ AccessKeyId: `AKIDCONTAINER${served}`, SecretAccessKey: 's', Token: `container-session-${served}`, Expiration: expiration }),
      );
    });
    provider.listen(0, '127.0.0.1');
    await once(provider, 'listening');
    try {
      process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${(provider.address() as { port: number }).port}/credentials`;
      process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'container-token';
      const transport = createSignedHttpTransport({ connection: resolveConnection({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1 }) });
      await transport.headObject({ bucket: 'b', key: 'first' });
      // The SDK's chain answers with the expiring credentials once more while it fetches new ones.
      await transport.headObject({ bucket: 'b', key: 'second' });
      // Then the fresh ones, once that background fetch has landed.
      for (let tries = 0; tries < 100 && credentialOf(server.requests.at(-1)!.headers.authorization) === 'AKIDCONTAINER1'; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await transport.headObject({ bucket: 'b', key: 'later' });
      }
      transport.destroy();
      const signedWith = server.requests.map((request) => [credentialOf(request.headers.authorization), request.headers['x-amz-security-token']]);
      assert.deepEqual(signedWith[0], ['AKIDCONTAINER1', 'container-session-1']);
      assert.deepEqual(signedWith.at(-1), ['AKIDCONTAINER2', 'container-session-2']);
    } finally {
      provider.close();
    }
  });
});
