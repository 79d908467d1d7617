// aws-local-stepfunctions calls Promise.withResolvers (Node ≥ 22); the project supports Node ≥ 20.19.
// Imported for its effect before the interpreter runs, it adds the method where it is missing.
interface WithResolvers {
  withResolvers?<T>(): { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
}

const promise = Promise as unknown as WithResolvers;
if (typeof promise.withResolvers !== 'function') {
  promise.withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}
