import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { MailError, MailErrorCode } from '../../errors/mail-error';
import type { MailSettingsRecord } from '../../settings/settings-types';
import type { TokenCacheStore } from '../types';
import { effectiveEndpoints } from './settings';
import { StoreCachePlugin } from './msal-cache-plugin';

/**
 * A confidential client for the saved settings, optionally bound to one account's token cache. Built per
 * operation: a client's in-memory cache must never mix two accounts.
 */
export function createMsalClient(settings: MailSettingsRecord, cache?: TokenCacheStore): ConfidentialClientApplication {
  if (!settings.clientId || !settings.clientSecret) {
    throw new MailError(MailErrorCode.NOT_CONFIGURED, 'Email is not set up yet: the Client ID and client secret are missing.', {
      reason: 'Email is not set up yet.',
    });
  }
  const { authorityHost } = effectiveEndpoints(settings);
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority: `https://${authorityHost}/${settings.tenant || 'common'}`,
      // Naming the host (with its port) as known skips instance discovery at login.microsoftonline.com, which
      // a national cloud or a non-Microsoft authority would fail with endpoints_resolution_error.
      knownAuthorities: [authorityHost],
    },
    cache: cache ? { cachePlugin: new StoreCachePlugin(cache) } : undefined,
    system: {
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
}
