// The entry point for this repository's own bench/ and tools/: what they need beyond the public index
// (src/index.ts), so that nothing outside src/ reaches into src/'s folders directly. The Lambda
// handler is reached through its own package entry point, src/lambda/handler.ts. Not part of the
// package's API; it may change with any release.
export * from './index.js';
