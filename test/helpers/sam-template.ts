import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short forms, kept as the long form they stand for: `!Ref X` → `{ Ref: 'X' }`. */
const CLOUDFORMATION_TAGS: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Sub', resolve: (value: string) => ({ 'Fn::Sub': value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
];

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown;
}

export interface SamResource {
  Type: string;
  Properties: Record<string, unknown> & { Policies?: Array<Record<string, unknown>> };
}

export function loadTemplate(path = 'examples/lambda/template.yaml'): { Resources: Record<string, SamResource> } {
  return parse(readFileSync(path, 'utf8'), { customTags: CLOUDFORMATION_TAGS }) as { Resources: Record<string, SamResource> };
}

/**
 * The IAM action each S3 request the handlers send needs, by what it is sent to. Every request name
 * a handler's report counts must be here (test/integration/lambda-workflow.test.ts checks it), and
 * every action here must be granted by the template (test/unit/lambda-example.test.ts), no more.
 */
export const ACTIONS_BY_REQUEST = {
  source: { HeadObject: 's3:GetObject', GetObject: 's3:GetObject' },
  target: {
    HeadObject: 's3:GetObject',
    ListObjectsV2: 's3:ListBucket',
    PutObject: 's3:PutObject',
    CreateMultipartUpload: 's3:PutObject',
    UploadPart: 's3:PutObject',
    CompleteMultipartUpload: 's3:PutObject',
    AbortMultipartUpload: 's3:AbortMultipartUpload',
    // Metadata rewritten in place (COMPARE_HEADERS): the object is its own copy source.
    CopyObject: ['s3:GetObject', 's3:PutObject'],
  },
} as const;

/** `{ 'arn:…:${IncomingBucketName}/*': ['s3:GetObject'], … }` from a function's inline statements. */
export function grantedActions(resource: SamResource): Record<string, string[]> {
  const granted: Record<string, string[]> = {};
  for (const policy of resource.Properties.Policies ?? []) {
    const statements = policy.Statement as Statement[] | undefined;
    if (!statements) throw new Error(`only inline statements are checked, not ${Object.keys(policy).join(', ')}`);
    for (const statement of statements) {
      const target = (statement.Resource as { 'Fn::Sub': string })['Fn::Sub'];
      granted[target] = [...(granted[target] ?? []), ...statement.Action].sort();
    }
  }
  return granted;
}
