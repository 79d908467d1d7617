// Files of @aws-sdk/client-s3 read directly, so that its endpoint rules and value lists come without
// the client (and every command's schema), which its index loads. Each is a plain module with no
// relative imports, which Node loads as ES modules by their syntax.
declare module '@aws-sdk/client-s3/dist-es/endpoint/bdd.js' {
  import type { BinaryDecisionDiagram } from '@smithy/core/endpoints';
  export const bdd: BinaryDecisionDiagram;
}
declare module '@aws-sdk/client-s3/dist-es/endpoint/EndpointParameters.js' {
  import type { EndpointParameterInstructions } from '@smithy/types';
  export const commonParams: EndpointParameterInstructions;
  export function resolveClientEndpointParameters<T extends object>(options: T): T & Record<string, unknown>;
}
declare module '@aws-sdk/client-s3/dist-es/models/enums.js' {
  export { ObjectCannedACL, StorageClass } from '@aws-sdk/client-s3';
}
