/** Just enough of NocoBase's HTTP API to provision an app from a script: sign in, then call actions. */
export class NocoBaseApi {
  private token: string | null = null;

  constructor(private readonly baseUrl: string) {}

  async signIn(account: string, password: string) {
    const body = await this.call('auth:signIn', { account, password }, { 'X-Authenticator': 'basic' });
    this.token = (body as { data: { token: string } }).data.token;
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
