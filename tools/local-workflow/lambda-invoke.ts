/** What a local stand-in for a Lambda function gets: the payload and a context with a deadline. */
export type LocalFunction = (payload: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

/** What the Step Functions error of a failed invocation is made of (Lambda's error response). */
export class LambdaFunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    // As the service does: the error is the function's errorType, the cause Lambda's error payload.
    super(JSON.stringify({ errorMessage, errorType }));
    this.name = errorType;
  }
}

/**
 * The `arn:aws:states:::lambda:invoke` integration, answered locally: the Task's parameters
 * `{ FunctionName, Payload }` in, `{ Payload, StatusCode, ExecutedVersion }` out, so the definition's
 * ResultSelector reads what it reads in AWS. A function that throws fails the Task with its error's
 * name as the error (Lambda reports `error.name` as errorType), as in AWS, so Retry and Catch match alike.
 */
export async function invokeLocally(fn: LocalFunction, parameters: unknown, context: { getRemainingTimeInMillis(): number }): Promise<unknown> {
  const { Payload } = (parameters ?? {}) as { Payload?: unknown };
  // JSON in and out, as over the wire: nothing the function returns may depend on object identity.
  const payload = JSON.parse(JSON.stringify(Payload ?? {})) as unknown;
  try {
    const result = await fn(payload, context);
    return { ExecutedVersion: '$LATEST', Payload: JSON.parse(JSON.stringify(result ?? null)) as unknown, StatusCode: 200 };
  } catch (error) {
    const named = error instanceof Error ? error : new Error(String(error));
    throw new LambdaFunctionError(named.name || 'Error', named.message);
  }
}
