/** An app registration as an admin would create it in the Azure portal. */
export interface AppRegistration {
  clientId: string;
  secret: string;
  redirectUris: string[];
  displayName?: string;
  /** Single-tenant apps cannot use /common, /organizations or /consumers (AADSTS50194). */
  singleTenant?: boolean;
  tenantId?: string;
  /** The secret matches but has lapsed (AADSTS7000222). */
  secretExpired?: boolean;
  /** Per-app overrides of the stack-wide settings, so a test can change them without touching others. */
  accessTokenLifetimeSeconds?: number;
  singleUseRefreshTokens?: boolean;
}

export class AppRegistry {
  private apps = new Map<string, AppRegistration>();

  register(app: AppRegistration) {
    if (!app.clientId || !app.secret || !Array.isArray(app.redirectUris)) {
      throw new Error('an app needs clientId, secret and redirectUris');
    }
    this.apps.set(app.clientId, { displayName: `App ${app.clientId}`, ...app });
  }

  get(clientId: string | undefined): AppRegistration | undefined {
    return clientId ? this.apps.get(clientId) : undefined;
  }

  remove(clientId: string) {
    this.apps.delete(clientId);
  }
}
