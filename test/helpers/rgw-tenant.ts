import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The radosgw that tools/rgw/start-rgw.sh started, as described by the env file it wrote. */
export interface RgwServer {
  endpoint: string;
  /** ceph.conf of that cluster, for radosgw-admin. */
  conf: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function rgwFromEnv(env: NodeJS.ProcessEnv = process.env): RgwServer {
  const { S3ZIPSYNC_RGW_ENDPOINT: endpoint, S3ZIPSYNC_RGW_CONF: conf, S3ZIPSYNC_RGW_ACCESS_KEY: accessKeyId, S3ZIPSYNC_RGW_SECRET_KEY: secretAccessKey } = env;
  if (!endpoint || !conf || !accessKeyId || !secretAccessKey) {
    throw new Error('S3ZIPSYNC_TEST_SERVER=rgw needs S3ZIPSYNC_RGW_ENDPOINT, _CONF, _ACCESS_KEY and _SECRET_KEY: run the tests through `npm run test:rgw`, or source the env file tools/rgw/start-rgw.sh wrote');
  }
  return { endpoint, conf, credentials: { accessKeyId, secretAccessKey } };
}

export interface RgwTenant {
  name: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Deletes the user with every bucket and object it owns, so memstore does not fill up over a run. */
  remove(): Promise<void>;
}

let tenants = 0;

/**
 * A new radosgw tenant with one user. Bucket names are per tenant in radosgw, and a user's requests
 * name buckets in its own tenant, so every test file gets empty buckets under the names it expects
 * while sharing one gateway.
 */
export async function createRgwTenant(rgw: RgwServer): Promise<RgwTenant> {
  const name = `t${process.pid}n${++tenants}`;
  const credentials = {
    accessKeyId: `RGW${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  await admin(rgw, ['user', 'create', `--tenant=${name}`, '--uid=tester', '--display-name=tester', `--access-key=${credentials.accessKeyId}`, `--secret-key=${credentials.secretAccessKey}`]);
  return {
    name,
    credentials,
    async remove() {
      await admin(rgw, ['user', 'rm', `--tenant=${name}`, '--uid=tester', '--purge-data']);
    },
  };
}

async function admin(rgw: RgwServer, args: string[]): Promise<void> {
  try {
    await run('radosgw-admin', ['-c', rgw.conf, ...args], { timeout: 60_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? '';
    throw new Error(`radosgw-admin ${args[0]} ${args[1]} failed: ${stderr || (error as Error).message}`);
  }
}
