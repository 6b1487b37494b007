import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '@nocobase/database';
import type { AesEncryptor } from '@nocobase/server';
import type { AccountService } from '../accounts/account-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailProviderRegistry } from '../providers/registry';
import type { RequestOrigin } from '../settings/public-url';
import type { SettingsService } from '../settings/settings-service';
import { OAUTH_STATES_COLLECTION } from '../store/collection-names';
import { EncryptedTokenCache } from '../tokens/encrypted-token-cache';
import { sha256 } from './browser-binding';

export interface ConnectServiceDeps {
  db: Database;
  encryptor: AesEncryptor;
  settings: SettingsService;
  providers: MailProviderRegistry;
  accounts: AccountService;
  /** How long a started sign-in stays valid. */
  stateTtlMs?: number;
}

export type CallbackOutcome =
  { ok: true; accountId: number | string; address: string } | { ok: false; error: MailError };

const DEFAULT_STATE_TTL_MS = 10 * 60_000;
/** Unfinished sign-ins one user may have at a time (several tabs or popups are fine; a loop is not). */
const MAX_PENDING_PER_USER = 10;
const START_AGAIN = 'Start connecting the mailbox again from the mailbox page.';

function invalidState(reason: string): MailError {
  return new MailError(MailErrorCode.INVALID_STATE, `${reason} ${START_AGAIN}`, { reason });
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The authorization-code flow: `start` for `mailAccounts:connect`, `complete` for the callback. */
export class ConnectService {
  private readonly ttl: number;

  constructor(private readonly deps: ConnectServiceDeps) {
    this.ttl = deps.stateTtlMs ?? DEFAULT_STATE_TTL_MS;
  }

  private get states() {
    return this.deps.db.getRepository(OAUTH_STATES_COLLECTION);
  }

  /** Creates the single-use state for `userId` and returns the provider's sign-in URL. */
  async start(input: {
    userId: number | string;
    provider?: string;
    browserBinding: string;
    req: RequestOrigin;
  }): Promise<{ authorizeUrl: string }> {
    const settings = await this.deps.settings.load();
    const provider = input.provider ? this.deps.providers.get(input.provider) : this.deps.settings.selected(settings);
    if (provider.key !== settings.provider || !provider.settings.isConfigured(settings)) {
      throw new MailError(
        MailErrorCode.NOT_CONFIGURED,
        `Email is not set up yet. Ask your administrator to enter the ${provider.wording.adminSetup} in the email settings.`,
        {
          reason: 'Email is not set up yet.',
        },
      );
    }
    const pending = await this.states.count({
      filter: { userId: input.userId, usedAt: null, expiresAt: { $gt: new Date() } },
    });
    if (pending >= MAX_PENDING_PER_USER) {
      // Each start stores a row; a script calling connect in a loop must not grow the table without bound.
      throw new MailError(
        MailErrorCode.TRANSIENT,
        `You have ${pending} unfinished ${provider.wording.signInWith} sign-ins. Finish one, or try again in a few minutes.`,
        {
          status: 429,
          owner: 'user',
        },
      );
    }
    const redirectUri = this.deps.settings.redirectUri(settings, input.req);
    const state = randomBytes(32).toString('base64url');
    let started;
    try {
      started = await provider.startAuthorization(settings, { redirectUri, state });
    } catch (err) {
      throw provider.parseError(err);
    }
    const now = Date.now();
    await this.states.create({
      values: {
        stateHash: sha256(state),
        userId: input.userId,
        provider: provider.key,
        browserHash: sha256(input.browserBinding),
        codeVerifier: await this.deps.encryptor.encrypt(started.codeVerifier),
        nonce: started.nonce,
        redirectUri,
        expiresAt: new Date(now + this.ttl),
      },
    });
    // Old rows are useless after expiry; sweeping here keeps the table small without a scheduled job.
    await this.states.destroy({ filter: { expiresAt: { $lt: new Date(now - this.ttl) } } });
    return { authorizeUrl: started.authorizeUrl };
  }

  /**
   * Checks the state (known, this browser's, unexpired, unused), consumes it, exchanges the code and stores the
   * account. Every refusal happens before anything is written for the user.
   */
  async complete(params: Record<string, string>, browserBinding: string | undefined): Promise<CallbackOutcome> {
    try {
      const row = await this.claimState(params.state, browserBinding);
      const provider = this.deps.providers.get(row.get('provider') as string);
      if (params.error) return { ok: false, error: provider.parseCallbackError(params) };
      if (!params.code)
        return { ok: false, error: invalidState('The sign-in response carries no authorization code.') };

      const settings = await this.deps.settings.load();
      const cache = new EncryptedTokenCache(this.deps.encryptor, null);
      // Outside the provider's try: a local failure must not be reported as the provider's answer.
      const codeVerifier = await this.deps.encryptor.decrypt(row.get('codeVerifier') as string);
      let mailbox;
      try {
        mailbox = await provider.completeAuthorization(
          settings,
          {
            redirectUri: row.get('redirectUri') as string,
            params,
            state: params.state,
            codeVerifier,
            nonce: row.get('nonce') as string,
          },
          cache,
        );
      } catch (err) {
        return { ok: false, error: provider.parseError(err) };
      }
      const tokenCache = await cache.encrypted();
      if (!tokenCache)
        return {
          ok: false,
          error: new MailError(
            MailErrorCode.PROVIDER_ERROR,
            `${provider.wording.signInWith} returned no tokens to keep. Connect again.`,
          ),
        };
      const account = await this.deps.accounts.upsertConnected({
        userId: row.get('userId') as number,
        provider: provider.key,
        address: mailbox.address,
        displayName: mailbox.displayName,
        homeAccountId: mailbox.homeAccountId,
        tokenCache,
        accessTokenExpiresAt: mailbox.expiresOn,
      });
      return { ok: true, accountId: account.get('id') as number, address: mailbox.address };
    } catch (err) {
      if (err instanceof MailError) return { ok: false, error: err };
      throw err;
    }
  }

  private async claimState(state: string | undefined, browserBinding: string | undefined) {
    if (!state)
      throw invalidState('The sign-in response has no state, so it cannot be matched to a sign-in you started.');
    const row = await this.states.findOne({ filter: { stateHash: sha256(state) } });
    if (!row) throw invalidState('This sign-in response does not match any sign-in started here.');
    if (row.get('usedAt')) throw invalidState('This sign-in response was already used.');
    if (new Date(row.get('expiresAt') as Date).getTime() < Date.now()) {
      throw invalidState(`This sign-in took longer than ${Math.round(this.ttl / 60_000)} minutes and expired.`);
    }
    if (!browserBinding || !sameHash(sha256(browserBinding), row.get('browserHash') as string)) {
      // Not consumed: a stranger replaying the link must not be able to cancel the owner's sign-in.
      throw invalidState('This sign-in was started by another user or in another browser.');
    }
    // Conditional update: of two concurrent callbacks with the same state exactly one wins.
    const [claimed] = await this.states.model.update(
      { usedAt: new Date() },
      { where: { id: row.get('id') as number, usedAt: null } },
    );
    if (claimed !== 1) throw invalidState('This sign-in response was already used.');
    return row;
  }
}
