/** What the server said went wrong, in its own words: `{ errors: [{ message, code }] }`, never a stack. */
export interface ApiProblem {
  message: string;
  code?: string;
  status?: number;
}

interface ErrorBody {
  errors?: Array<{ message?: unknown; code?: unknown }>;
}

interface AxiosLikeError {
  message?: unknown;
  response?: { status?: number; data?: unknown };
}

/**
 * The first server error of a failed request, or `null` when the request never got an answer (network down,
 * server stopped): the caller then shows its own "could not reach the server" wording.
 */
export function apiProblem(err: unknown): ApiProblem | null {
  const response = (err as AxiosLikeError | null)?.response;
  if (!response) return null;
  const first = (response.data as ErrorBody | undefined)?.errors?.[0];
  if (first && typeof first.message === 'string' && first.message.trim()) {
    return {
      message: first.message,
      code: typeof first.code === 'string' ? first.code : undefined,
      status: response.status,
    };
  }
  return { message: '', status: response.status };
}
