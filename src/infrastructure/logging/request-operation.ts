/**
 * The GraphQL operation a request ran, as metrics label it (the operation's name when it is a
 * well-formed one the server has seen, `other`, `anonymous`, or `staff` for every operation
 * that called a staff-only field), for the request's log line.
 */
export interface RequestOperation {
  readonly operation: string;
  readonly type: string;
}

const operations = new WeakMap<object, RequestOperation>();

export function noteRequestOperation(req: object, operation: RequestOperation): void {
  operations.set(req, operation);
}

export function requestOperationOf(req: object): RequestOperation | undefined {
  return operations.get(req);
}
