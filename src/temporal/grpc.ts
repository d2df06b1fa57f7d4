/** Temporal's gRPC answers: which status code an error carries. */

/** The gRPC status code Temporal answered with, if the error carries one. */
export function grpcCodeOf(err: unknown): number | undefined {
  let cause: unknown = err;
  for (let depth = 0; depth < 5 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const grpcStatus = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;
