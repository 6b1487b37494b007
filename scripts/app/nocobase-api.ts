/** Just enough of NocoBase's HTTP API to provision an app from a script: sign in, then call actions. */
export class NocoBaseApi {
  private token: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async signIn(account: string, password: string) {
    const body = await this.call('auth:signIn', { account, password }, { 'X-Authenticator': 'basic' });
    this.token = (body as { data: { token: string } }).data.token;
  }

  /** A read with its parameters in the query string (where NocoBase takes `filter`, `appends`, `sort`). */
  async get(action: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const query = new URLSearchParams(
      Object.entries(params).map(([key, value]): [string, string] => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    const res = await fetch(`${this.baseUrl}/api/${action}?${query}`, {
      headers: this.token ? { Authorization: `Bearer ${this.token}` } : {},
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${action} answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  }

  async call(action: string, data?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}/api/${action}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${action} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : null;
  }
}
