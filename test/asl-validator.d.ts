// asl-validator 4 ships no types: the one call the tests make.
declare module 'asl-validator' {
  export default function aslValidator(
    definition: unknown,
    options?: { checkArn?: boolean; checkPaths?: boolean },
  ): { isValid: boolean; errors: unknown[]; errorsText(separator?: string): string };
}
