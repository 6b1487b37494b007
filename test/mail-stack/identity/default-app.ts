import type { AppRegistration } from './apps';

/** The app every stack registers at start, so the sandbox works without a setup step. */
export const SANDBOX_APP: AppRegistration = {
  clientId: 'sandbox-client-id',
  secret: 'sandbox-secret',
  displayName: 'MailBridge sandbox',
  redirectUris: ['http://127.0.0.1:13000/api/mailOAuth:callback', 'http://localhost:13000/api/mailOAuth:callback'],
};
