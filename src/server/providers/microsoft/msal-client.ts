import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { MailError, MailErrorCode } from '../../errors/mail-error';
import type { TokenCacheStore } from '../types';
import { effectiveEndpoints, MicrosoftSettings } from './settings';
import { authorityMetadata } from './authority-metadata';
import { StoreCachePlugin } from './msal-cache-plugin';
import { TimedNetworkClient } from './timed-network-client';

/** `https://<host>/<tenant>` for the saved settings. */
export function authorityUrl(settings: MicrosoftSettings): string {
  return `https://${effectiveEndpoints(settings).authorityHost}/${settings.tenant || 'common'}`;
}

/**
 * A confidential client for the saved settings, optionally bound to one account's token cache. Built per
 * operation: a client's in-memory cache must never mix two accounts.
 */
export async function createMsalClient(
  settings: MicrosoftSettings,
  cache?: TokenCacheStore,
  options: { freshMetadata?: boolean } = {},
): Promise<ConfidentialClientApplication> {
  if (!settings.clientId || !settings.clientSecret) {
    throw new MailError(
      MailErrorCode.NOT_CONFIGURED,
      'Email is not set up yet: the Client ID and client secret are missing.',
      {
        reason: 'Email is not set up yet.',
      },
    );
  }
  const { authorityHost } = effectiveEndpoints(settings);
  const authority = authorityUrl(settings);
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      authority,
      authorityMetadata: await authorityMetadata(authority, { fresh: options.freshMetadata }),
      // Naming the host (with its port) as known skips instance discovery at login.microsoftonline.com, which
      // a national cloud or a non-Microsoft authority would fail with endpoints_resolution_error.
      knownAuthorities: [authorityHost],
    },
    cache: cache ? { cachePlugin: new StoreCachePlugin(cache) } : undefined,
    system: {
      networkClient: new TimedNetworkClient(),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
    },
  });
}
