// The SDK commands the library sends itself, in one module that is only ever imported dynamically
// (`await import('./sdk-commands.js')`): a run whose requests all go the lean way (s3/transport/)
// never loads the SDK client, whose schemas cost more start-up than the rest of a no-change run.
export {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
export { Upload } from '@aws-sdk/lib-storage';
