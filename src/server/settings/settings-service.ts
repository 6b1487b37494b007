import type { Database, Transactionable } from '@nocobase/database';
import type { AesEncryptor } from '@nocobase/server';
import { MailErrorCode } from '../../shared/error-codes';
import type { MailSettingsTestResult, MailSettingsView } from '../../shared/types';
import type { Locks } from '../cluster/database-locks';
import { invalidInput, MailError } from '../errors/mail-error';
import type { MailProviderRegistry } from '../providers/registry';
import { SETTINGS_COLLECTION } from '../store/collection-names';
import { normalizePublicUrl, publicUrlFromRequest, redirectUriFor, RequestOrigin } from './public-url';
import type { GeneralMailSettings, MailSettingsRecord } from './settings-types';
import { sharingPolicyChanges } from './sharing-policy-input';

/** Fields `mailSettings:get` returns that a client may send back unchanged on save. */
const READ_ONLY = new Set(['redirectUri', 'configured', 'id', 'createdAt', 'updatedAt']);
const GENERAL = [
  'provider',
  'publicUrl',
  'syncWindowDays',
  'syncIntervalMinutes',
  'maxAttachmentMb',
  'sharingMinLevel',
  'sharingMaxLevel',
  'allMailEnabled',
];

const GENERAL_DEFAULTS: Omit<GeneralMailSettings, 'provider'> = {
  publicUrl: null,
  syncWindowDays: 30,
  syncIntervalMinutes: 5,
  maxAttachmentMb: 20,
  sharingMinLevel: null,
  sharingMaxLevel: null,
  allMailEnabled: false,
};

const secretSetKey = (column: string) => `${column}Set`;

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
  /** Cluster-wide: see update(). */
  locks: Locks;
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

  /** Every column with its default: the general ones, then each registered provider's. */
  private defaults(): MailSettingsRecord {
    const providers = this.deps.providers.all();
    const record: MailSettingsRecord = { ...GENERAL_DEFAULTS, provider: providers[0]?.key ?? '' };
    for (const p of providers) for (const c of p.settings.columns) record[c.name] = c.defaultValue ?? null;
    return record;
  }

  private secretColumns(): string[] {
    return this.deps.providers.all().flatMap((p) => p.settings.secretColumns);
  }

  /** The provider the settings configure; a row naming one no longer registered falls back to the first. */
  selected(settings: MailSettingsRecord) {
    const { providers } = this.deps;
    return providers.get(providers.has(settings.provider) ? settings.provider : providers.all()[0].key);
  }

  private async row(options: Transactionable = {}) {
    return this.repo.findOne({ sort: ['id'], transaction: options.transaction });
  }

  async load(options: Transactionable = {}): Promise<MailSettingsRecord> {
    const row = await this.row(options);
    const record = this.defaults();
    if (!row) return record;
    for (const key of Object.keys(record)) {
      const v = row.get(key);
      if (v !== null && v !== undefined) record[key] = v;
    }
    for (const column of this.secretColumns())
      record[column] = await this.decryptSecret(column, row.get(column) as string | null);
    return record;
  }

  private async decryptSecret(column: string, stored: string | null): Promise<string | null> {
    if (!stored) return null;
    try {
      return await this.deps.encryptor.decrypt(stored);
    } catch (err) {
      // A changed APP_AES_SECRET_KEY makes old ciphertext unreadable: report "not set" so the admin re-enters it.
      this.deps.log?.warn(`mail settings: the saved ${column} cannot be decrypted`, { err });
      return null;
    }
  }

  /** The redirect URI users' sign-ins return to; the same string the admin registers in Entra. */
  redirectUri(settings: MailSettingsRecord, req?: RequestOrigin): string {
    const publicUrl = settings.publicUrl || (req ? publicUrlFromRequest(req) : null);
    if (!publicUrl) {
      throw new MailError(
        MailErrorCode.NOT_CONFIGURED,
        'Email is not set up yet: an administrator must save the email settings.',
      );
    }
    return redirectUriFor(publicUrl, this.deps.apiBasePath);
  }

  toView(settings: MailSettingsRecord, req: RequestOrigin): MailSettingsView {
    const publicUrl = settings.publicUrl || publicUrlFromRequest(req);
    const provider = this.selected(settings);
    const secrets = Object.fromEntries(provider.settings.secretColumns.map((c) => [secretSetKey(c), !!settings[c]]));
    return {
      ...provider.settings.view(settings),
      ...secrets,
      provider: provider.key,
      syncWindowDays: settings.syncWindowDays,
      syncIntervalMinutes: settings.syncIntervalMinutes,
      maxAttachmentMb: settings.maxAttachmentMb,
      sharingMinLevel: settings.sharingMinLevel,
      sharingMaxLevel: settings.sharingMaxLevel,
      allMailEnabled: !!settings.allMailEnabled,
      publicUrl,
      redirectUri: redirectUriFor(publicUrl, this.deps.apiBasePath),
      configured: provider.settings.isConfigured(settings),
    };
  }

  /** Validates a save against the stored row. Returns the merged record and the columns that change. */
  private normalize(input: Record<string, unknown>, current: MailSettingsRecord) {
    const changes: Partial<MailSettingsRecord> = {};
    if (input.provider !== undefined && input.provider !== current.provider) {
      if (typeof input.provider !== 'string' || !this.deps.providers.has(input.provider)) {
        throw invalidInput(
          `Provider must be one of: ${this.deps.providers
            .all()
            .map((p) => p.key)
            .join(', ')}.`,
        );
      }
      changes.provider = input.provider;
    }
    const provider = this.selected({ ...current, ...changes });
    const readOnly = new Set([...READ_ONLY, ...provider.settings.secretColumns.map(secretSetKey)]);
    const known = new Set([...GENERAL, ...provider.settings.fields]);
    const unknown = Object.keys(input).filter((k) => !known.has(k) && !readOnly.has(k));
    if (unknown.length) throw invalidInput(`Unknown setting: ${unknown.join(', ')}.`);

    Object.assign(changes, provider.settings.normalize(input, current));
    changes.provider = provider.key;
    if (input.publicUrl !== undefined && input.publicUrl !== null && String(input.publicUrl).trim() !== '') {
      changes.publicUrl = normalizePublicUrl(String(input.publicUrl));
    }
    if (input.syncWindowDays !== undefined) {
      changes.syncWindowDays = boundedInt(input, 'syncWindowDays', 1, 3650, 'How far back the first sync goes (days)');
    }
    if (input.syncIntervalMinutes !== undefined) {
      changes.syncIntervalMinutes = boundedInt(input, 'syncIntervalMinutes', 1, 1440, 'The sync interval (minutes)');
    }
    if (input.maxAttachmentMb !== undefined) {
      // Outlook accepts messages up to ~35 MB after base64 (which adds a third): 25 MB of files fit.
      changes.maxAttachmentMb = boundedInt(input, 'maxAttachmentMb', 1, 150, 'The attachment size limit (MB)');
    }
    Object.assign(changes, sharingPolicyChanges(input, current));
    return { merged: { ...current, ...changes }, changes };
  }

  async update(input: Record<string, unknown>, req: RequestOrigin): Promise<MailSettingsView> {
    if (!input || typeof input !== 'object' || Array.isArray(input))
      throw invalidInput('Send the settings as an object of values.');
    // One writer at a time in the cluster: the first save creates the row, and two creates would leave two rows.
    return this.deps.locks.runExclusive(
      this.deps.lockKey,
      async () => {
        const current = await this.load();
        const { merged, changes } = this.normalize(input, current);
        // The redirect URI must not change under users' feet: the first save pins the address the admin used.
        if (!merged.publicUrl) changes.publicUrl = merged.publicUrl = publicUrlFromRequest(req);

        const values: Record<string, unknown> = { ...changes };
        for (const column of this.secretColumns()) {
          // A blank secret keeps the saved one.
          const secret = changes[column];
          if (typeof secret === 'string' && secret) values[column] = await this.deps.encryptor.encrypt(secret);
          else delete values[column];
        }

        const row = await this.row();
        if (row) await this.repo.update({ filterByTk: row.get('id') as number, values });
        else await this.repo.create({ values });
        return this.toView(merged, req);
      },
      10_000,
    );
  }

  /** Checks credentials from the store overlaid with unsaved form values; a verdict, never a thrown MailError. */
  async test(input: Record<string, unknown>, req: RequestOrigin): Promise<MailSettingsTestResult> {
    const current = await this.load();
    const { merged } = this.normalize(input ?? {}, current);
    const provider = this.selected(merged);
    if (!provider.settings.isConfigured(merged)) {
      return { ok: false, code: MailErrorCode.NOT_CONFIGURED, message: provider.settings.missingCredentials };
    }
    const redirectUri = this.redirectUri(merged, req);
    try {
      return { ok: true, message: await provider.testCredentials(merged, redirectUri) };
    } catch (err) {
      const e = provider.parseError(err);
      return { ok: false, code: e.code, message: e.message };
    }
  }
}
