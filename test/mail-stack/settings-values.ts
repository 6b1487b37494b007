import type { AppRegistration } from './identity/apps';
import type { MailStack } from './types';

/**
 * What an admin types on the plugin's settings page to use the stand-in: the registered app, the custom cloud and
 * the stack's servers (`mailSettings:update` values). Callers add what differs (publicUrl, appendSentCopy).
 */
export function standInSettings(stack: MailStack, app: Pick<AppRegistration, 'clientId' | 'secret'>) {
  return {
    clientId: app.clientId,
    clientSecret: app.secret,
    tenant: 'common',
    cloud: 'custom',
    authorityHost: stack.authorityHost,
    imapHost: stack.imap.host,
    imapPort: stack.imap.port,
    smtpHost: stack.smtp.host,
    smtpPort: stack.smtp.port,
  };
}
