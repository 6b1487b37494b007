import { AuthError, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** MSAL's error code for a sign-in request that got no answer in time (classified as transient). */
export const REQUEST_TIMEOUT = 'request_timeout';
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * How long one request to the sign-in host may take. MSAL's own client gives POSTs no timeout (undici then waits
 * 300 s) while the account's token lock is held; MAIL_TOKEN_REQUEST_TIMEOUT_MS shortens it for tests.
 */
export function tokenRequestTimeoutMs(): number {
  const configured = Number(process.env.MAIL_TOKEN_REQUEST_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_TIMEOUT_MS;
}

/** An MSAL AuthError carrying our sentence (its constructor replaces the message with a documentation link). */
function authError(code: string, sentence: string): AuthError {
  const err = new AuthError(code, sentence);
  err.errorMessage = sentence;
  err.message = `${code}: ${sentence}`;
  return err;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} seconds`;
}

/**
 * MSAL's network module with a deadline on every request. Errors are MSAL AuthErrors, which MSAL passes through
 * unchanged, so the timeout reaches the classifier with its own code and words.
 */
export class TimedNetworkClient implements INetworkModule {
  constructor(private readonly timeoutMs: number = tokenRequestTimeoutMs()) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, Math.min(timeout ?? this.timeoutMs, this.timeoutMs));
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options, this.timeoutMs);
  }

  private async send<T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
    timeoutMs: number,
  ): Promise<NetworkResponse<T>> {
    const host = new URL(url).host;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? (options?.body ?? '') : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // A DOMException from AbortSignal.timeout; compared by name, as it need not share this realm's Error.
      if ((err as { name?: unknown } | null)?.name === 'TimeoutError') {
        throw authError(REQUEST_TIMEOUT, `The sign-in host ${host} did not answer within ${seconds(timeoutMs)}.`);
      }
      throw authError(
        'network_error',
        `The sign-in host ${host} could not be reached: ${(err as { message?: unknown } | null)?.message ?? String(err)}`,
      );
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key] = value;
    });
    let body: T;
    try {
      body = (await res.json()) as T;
    } catch {
      throw authError('token_parsing_error', `The sign-in host ${host} answered HTTP ${res.status} without JSON.`);
    }
    return { headers, body, status: res.status };
  }
}
