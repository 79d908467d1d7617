import './promise-with-resolvers.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { invokeLocally, type LocalFunction } from './lambda-invoke.js';

/** The example's definition, the very file `sam deploy` uploads: found above this file, run from tools/ (tsx) or dist/tools/. */
export const DEFINITION_PATH = findUp('examples/lambda/state-machine.asl.json');

function findUp(relative: string): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, relative);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`${relative} not found above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
/** What each `${…}` of the definition becomes (template.yaml's DefinitionSubstitutions), here a local function's name. */
export const LOCAL_FUNCTION_ARNS = {
  PlanFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:s3zipsync-plan',
  SyncFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:s3zipsync-sync',
} as const;

export interface Invocation {
  functionName: string;
  /** The Task state that invoked it (SyncShard, Plan). */
  state: string;
  payload: unknown;
  /** 1 for the first invocation with this state and payload, 2 for its first retry, … */
  attempt: number;
  outcome: 'returned' | 'threw';
  /** What the function returned, or the error it threw (name and message). */
  result: unknown;
  ms: number;
}

export interface WorkflowOptions {
  input: unknown;
  /** Local stand-ins for the functions the definition names, by the substitution's name. */
  functions: Record<keyof typeof LOCAL_FUNCTION_ARNS, LocalFunction>;
  /** The remaining time each invocation sees; default: Lambda's 900 s, counting down from its start. */
  contextFor?: (invocation: { functionName: string; payload: unknown; attempt: number }) => { getRemainingTimeInMillis(): number };
  /**
   * The pause before a Retry, in ms, instead of the definition's IntervalSeconds (which retriers
   * match and how often is still the definition's). Default: the definition's.
   */
  retryPauseMs?: number;
  /** Another definition file (default: examples/lambda/state-machine.asl.json). */
  definitionPath?: string;
}

export interface WorkflowRun {
  /** The execution's output, when it succeeded. */
  output?: unknown;
  /** Its error (as Step Functions shows it: Error and Cause), when it failed. */
  error?: { Error: string; Cause: string };
  invocations: Invocation[];
  ms: number;
}

/**
 * Runs the example state machine in aws-local-stepfunctions, an Amazon States Language interpreter,
 * with every `lambda:invoke` Task answered by a local function instead of AWS Lambda.
 */
export async function runWorkflow(options: WorkflowOptions): Promise<WorkflowRun> {
  const definition = await loadDefinition(options.definitionPath ?? DEFINITION_PATH);
  const byArn = new Map<string, LocalFunction>(Object.entries(LOCAL_FUNCTION_ARNS).map(([name, arn]) => [arn, options.functions[name as keyof typeof LOCAL_FUNCTION_ARNS]]));
  const invocations: Invocation[] = [];
  // A failed Map item stops the execution but not the other items' invocations, in AWS as here:
  // the run returns once they have all ended, so nothing is left writing behind it.
  const inFlight = new Set<Promise<unknown>>();
  const attempts = new Map<string, number>();
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  const retryOverrides: Record<string, number> = {};
  for (const [state, body] of taskStates(definition)) {
    if (body.Resource !== LAMBDA_INVOKE) throw new Error(`${state}: only ${LAMBDA_INVOKE} tasks run locally, not ${String(body.Resource)}`);
    if (options.retryPauseMs !== undefined) retryOverrides[state] = options.retryPauseMs;
    handlers[state] = async (parameters) => {
      const { FunctionName, Payload } = parameters as { FunctionName: string; Payload: unknown };
      const fn = byArn.get(FunctionName);
      if (!fn) throw new Error(`${state} invokes ${FunctionName}, which no local function stands for`);
      const identity = `${state} ${JSON.stringify(Payload)}`;
      const attempt = (attempts.get(identity) ?? 0) + 1;
      attempts.set(identity, attempt);
      const started = performance.now();
      const deadline = Date.now() + 900_000;
      const context = options.contextFor?.({ functionName: FunctionName, payload: Payload, attempt }) ?? { getRemainingTimeInMillis: () => deadline - Date.now() };
      const record = (outcome: Invocation['outcome'], result: unknown) =>
        invocations.push({ functionName: FunctionName, state, payload: Payload, attempt, outcome, result, ms: Math.round(performance.now() - started) });
      const invocation = invokeLocally(fn, parameters, context).then(
        (answer) => {
          record('returned', (answer as { Payload: unknown }).Payload);
          return answer;
        },
        (error: Error) => {
          record('threw', { name: error.name, message: error.message });
          throw error;
        },
      );
      const settled = invocation.catch(() => {});
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      return invocation;
    };
  }
  const machine = new StateMachine(definition);
  const started = performance.now();
  const execution = machine.run(options.input as never, {
    // The interpreter types payloads as JSON values; ours are JSON too (invokeLocally round-trips them).
    overrides: { taskResourceLocalHandlers: handlers as never, ...(options.retryPauseMs !== undefined ? { retryIntervalOverrides: retryOverrides } : {}) },
  });
  let ended: Pick<WorkflowRun, 'output' | 'error'>;
  try {
    ended = { output: await execution.result };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    // The interpreter nests the failing state's error (a Map passes its item's error up): that one is the execution's.
    const cause = error.cause as Error;
    ended = { error: { Error: cause.name, Cause: cause.message } };
  }
  const ms = Math.round(performance.now() - started);
  while (inFlight.size > 0) await Promise.all(inFlight);
  return { ...ended, invocations, ms };
}

/** The definition with its `${…}` substitutions filled in, as SAM's DefinitionSubstitutions does. */
export async function loadDefinition(file: string): Promise<StateMachineDefinition> {
  let text = await readFile(file, 'utf8');
  for (const [name, arn] of Object.entries(LOCAL_FUNCTION_ARNS)) text = text.replaceAll(`\${${name}}`, arn);
  const left = /\$\{[A-Za-z]+\}/.exec(text);
  if (left) throw new Error(`the definition has a substitution no local function stands for: ${left[0]}`);
  return JSON.parse(text) as StateMachineDefinition;
}

type StateBody = { Type: string; Resource?: unknown; ItemProcessor?: { States: Record<string, StateBody> }; Iterator?: { States: Record<string, StateBody> }; Branches?: Array<{ States: Record<string, StateBody> }> };

/** Every Task state, at any depth (Map item processors, Parallel branches), by name. */
function* taskStates(definition: { States: Record<string, unknown> }): Generator<[string, StateBody]> {
  for (const [name, value] of Object.entries(definition.States)) {
    const body = value as StateBody;
    if (body.Type === 'Task') yield [name, body];
    const nested = body.ItemProcessor ?? body.Iterator;
    if (nested) yield* taskStates(nested);
    for (const branch of body.Branches ?? []) yield* taskStates(branch);
  }
}
