import type { MailProvider } from './types';

/** What an account that must sign in again says when it has no more specific reason stored. */
export function reconnectHint(provider: MailProvider): string {
  return `Reconnect the mailbox to sign in to ${provider.wording.signInWith} again.`;
}
