/*
 * The header options' fixed choices, apart from object-headers.ts (which takes the storage classes
 * and ACLs from the SDK): the CLI builds its flags from these without loading the SDK.
 */
export const SSE_MODES = ['AES256', 'aws:kms'] as const;
export type SseMode = (typeof SSE_MODES)[number];

/** Our own user-metadata keys (integrity/object-metadata.ts) start with this; a caller may not set them. */
export const RESERVED_METADATA_PREFIX = 's3zipsync-';
