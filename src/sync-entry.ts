// What the CLI's sync command loads, and nothing else: the whole internal index would bring the
// SDK client with it (createS3Client), which a sync loads only when a request needs it.
export { syncZip } from './sync/sync-zip.js';
export { parseS3Url } from './zip/zip-source.js';
export { parseShard } from './shard.js';
