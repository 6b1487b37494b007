/** Where a mailbox signed in, read from MSAL's serialised cache: the sign-in host and the app its tokens belong to. */
export interface SignInOrigin {
  /** MSAL's `environment`: the authority's host (with its port) at sign-in. */
  host: string;
  /** Client IDs holding a refresh token for the account. */
  clientIds: string[];
}

type Entries = Record<string, Record<string, unknown>>;

/**
 * MSAL keys accounts and refresh tokens by the authority host and the client ID, so a cache written under other
 * settings is invisible to a client built with the current ones (it reports the sign-in as missing). Reading the
 * keys tells "signed in elsewhere" apart from "gone". Null when the cache does not hold the account at all.
 */
export function signedInUnder(serialized: string | null, homeAccountId: string): SignInOrigin | null {
  if (!serialized) return null;
  let cache: { Account?: Entries; RefreshToken?: Entries };
  try {
    cache = JSON.parse(serialized);
  } catch {
    return null;
  }
  const account = Object.values(cache.Account ?? {}).find((a) => a.home_account_id === homeAccountId);
  if (!account || typeof account.environment !== 'string') return null;
  const clientIds = Object.values(cache.RefreshToken ?? {})
    .filter((rt) => rt.home_account_id === homeAccountId && typeof rt.client_id === 'string')
    .map((rt) => rt.client_id as string);
  return { host: account.environment, clientIds };
}
