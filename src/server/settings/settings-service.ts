import type { Database, Transactionable } from '@nocobase/database';
import type { LockManager } from '@nocobase/lock-manager';
import type { AesEncryptor } from '@nocobase/server';
import { MailErrorCode } from '../../shared/error-codes';
import type { MailSettingsTestResult, MailSettingsView } from '../../shared/types';
import { invalidInput, MailError } from '../errors/mail-error';
import type { MailProviderRegistry } from '../providers/registry';
import { SETTINGS_COLLECTION } from '../store/collection-names';
import { normalizePublicUrl, publicUrlFromRequest, redirectUriFor, RequestOrigin } from './public-url';
import type { MailSettingsRecord } from './settings-types';

/** Fields `mailSettings:get` returns that a client may send back unchanged on save. */
const READ_ONLY = new Set(['clientSecretSet', 'redirectUri', 'configured', 'id', 'createdAt', 'updatedAt']);
const GENERAL = ['publicUrl', 'syncWindowDays', 'syncIntervalMinutes', 'appendSentCopy', 'maxAttachmentMb'];

const DEFAULTS: MailSettingsRecord = {
  clientId: null,
  clientSecret: null,
  tenant: 'common',
  cloud: 'global',
  authorityHost: null,
  imapHost: null,
  imapPort: null,
  smtpHost: null,
  smtpPort: null,
  publicUrl: null,
  syncWindowDays: 30,
  syncIntervalMinutes: 5,
  appendSentCopy: false,
  maxAttachmentMb: 20,
};

function boundedInt(input: Record<string, unknown>, key: string, min: number, max: number, label: string): number {
  const n = Number(input[key]);
  if (input[key] === '' || input[key] === null || !Number.isInteger(n) || n < min || n > max) {
    throw invalidInput(`${label} must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

export interface SettingsServiceDeps {
  db: Database;
  encryptor: AesEncryptor;
  lockManager: LockManager;
  providers: MailProviderRegistry;
  lockKey: string;
  /** The path NocoBase serves its API under (the resource manager's prefix, from API_BASE_PATH). */
  apiBasePath: string;
  log?: { warn(message: string, meta?: object): void };
}

/** The single settings row: read with the secret decrypted in memory, saved with it encrypted. */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  private get repo() {
    return this.deps.db.getRepository(SETTINGS_COLLECTION);
  }

  private async row(options: Transactionable = {}) {
    return this.repo.findOne({ sort: ['id'], transaction: options.transaction });
  }

  async load(options: Transactionable = {}): Promise<MailSettingsRecord> {
    const row = await this.row(options);
    if (!row) return { ...DEFAULTS };
    const record = { ...DEFAULTS } as Record<string, unknown>;
    for (const key of Object.keys(DEFAULTS)) {
      const v = row.get(key);
      if (v !== null && v !== undefined) record[key] = v;
    }
    record.clientSecret = await this.decryptSecret(row.get('clientSecret') as string | null);
    return record as unknown as MailSettingsRecord;
  }

  private async decryptSecret(stored: string | null): Promise<string | null> {
    if (!stored) return null;
    try {
      return await this.deps.encryptor.decrypt(stored);
    } catch (err) {
      // A changed APP_AES_SECRET_KEY makes old ciphertext unreadable: report "not set" so the admin re-enters it.
      this.deps.log?.warn('mail settings: the saved client secret cannot be decrypted', { err });
      return null;
    }
  }

  /** The redirect URI users' sign-ins return to; the same string the admin registers in Entra. */
  redirectUri(settings: MailSettingsRecord, req?: RequestOrigin): string {
    const publicUrl = settings.publicUrl || (req ? publicUrlFromRequest(req) : null);
    if (!publicUrl) {
      throw new MailError(MailErrorCode.NOT_CONFIGURED, 'Email is not set up yet: an administrator must save the email settings.');
    }
    return redirectUriFor(publicUrl, this.deps.apiBasePath);
  }

  toView(settings: MailSettingsRecord, req: RequestOrigin): MailSettingsView {
    const publicUrl = settings.publicUrl || publicUrlFromRequest(req);
    const providerViews = Object.assign({}, ...this.deps.providers.all().map((p) => p.settings.view(settings)));
    return {
      ...providerViews,
      clientSecretSet: !!settings.clientSecret,
      syncWindowDays: settings.syncWindowDays,
      syncIntervalMinutes: settings.syncIntervalMinutes,
      appendSentCopy: settings.appendSentCopy,
      maxAttachmentMb: settings.maxAttachmentMb,
      publicUrl,
      redirectUri: redirectUriFor(publicUrl, this.deps.apiBasePath),
      configured: this.deps.providers.all().some((p) => p.settings.isConfigured(settings)),
    } as MailSettingsView;
  }

  /** Validates a save against the stored row. Returns the merged record and the columns that change. */
  private normalize(input: Record<string, unknown>, current: MailSettingsRecord) {
    const known = new Set([...GENERAL, ...this.deps.providers.all().flatMap((p) => p.settings.fields)]);
    const unknown = Object.keys(input).filter((k) => !known.has(k) && !READ_ONLY.has(k));
    if (unknown.length) throw invalidInput(`Unknown setting: ${unknown.join(', ')}.`);

    const changes: Partial<MailSettingsRecord> = {};
    for (const provider of this.deps.providers.all()) Object.assign(changes, provider.settings.normalize(input, current));
    if (input.publicUrl !== undefined && input.publicUrl !== null && String(input.publicUrl).trim() !== '') {
      changes.publicUrl = normalizePublicUrl(String(input.publicUrl));
    }
    if (input.syncWindowDays !== undefined) {
      changes.syncWindowDays = boundedInt(input, 'syncWindowDays', 1, 3650, 'How far back the first sync goes (days)');
    }
    if (input.syncIntervalMinutes !== undefined) {
      changes.syncIntervalMinutes = boundedInt(input, 'syncIntervalMinutes', 1, 1440, 'The sync interval (minutes)');
    }
    if (input.appendSentCopy !== undefined) {
      if (typeof input.appendSentCopy !== 'boolean') throw invalidInput('"Store a copy in Sent" must be true or false.');
      changes.appendSentCopy = input.appendSentCopy;
    }
    if (input.maxAttachmentMb !== undefined) {
      // Outlook accepts messages up to ~35 MB after base64 (which adds a third): 25 MB of files fit.
      changes.maxAttachmentMb = boundedInt(input, 'maxAttachmentMb', 1, 150, 'The attachment size limit (MB)');
    }
    return { merged: { ...current, ...changes }, changes };
  }

  async update(input: Record<string, unknown>, req: RequestOrigin): Promise<MailSettingsView> {
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalidInput('Send the settings as an object of values.');
    // One writer at a time: the first save creates the row, and two creates would leave two settings rows.
    return this.deps.lockManager.runExclusive(this.deps.lockKey, async () => {
      const current = await this.load();
      const { merged, changes } = this.normalize(input, current);
      // The redirect URI must not change under users' feet: the first save pins the address the admin used.
      if (!merged.publicUrl) changes.publicUrl = merged.publicUrl = publicUrlFromRequest(req);

      const values: Record<string, unknown> = { ...changes };
      if (changes.clientSecret) values.clientSecret = await this.deps.encryptor.encrypt(changes.clientSecret);
      else delete values.clientSecret;

      const row = await this.row();
      if (row) await this.repo.update({ filterByTk: row.get('id') as number, values });
      else await this.repo.create({ values });
      return this.toView(merged, req);
    }, 10_000);
  }

  /** Checks credentials from the store overlaid with unsaved form values; a verdict, never a thrown MailError. */
  async test(input: Record<string, unknown>, req: RequestOrigin): Promise<MailSettingsTestResult> {
    const current = await this.load();
    const { merged } = this.normalize(input ?? {}, current);
    const provider = this.deps.providers.all().find((p) => p.settings.isConfigured(merged));
    if (!provider) {
      return { ok: false, code: MailErrorCode.NOT_CONFIGURED, message: 'Enter the Client ID and the client secret, then test again.' };
    }
    const redirectUri = this.redirectUri(merged, req);
    try {
      await provider.testCredentials(merged, redirectUri);
    } catch (err) {
      const e = provider.parseError(err);
      return { ok: false, code: e.code, message: e.message };
    }
    return {
      ok: true,
      message: `${provider.title} accepted the Client ID and secret for tenant "${merged.tenant}". Make sure ${redirectUri} is registered as a Web redirect URI of the app.`,
    };
  }
}
