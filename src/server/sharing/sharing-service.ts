import type { Database } from '@nocobase/database';
import { Op, WhereOptions } from 'sequelize';
import type { MailAccountView } from '../../shared/types';
import type { SharingLevel } from '../../shared/sharing';
import { invalidInput } from '../errors/mail-error';
import type { AccountService } from '../accounts/account-service';
import { MailAccess, UserId } from '../messages/access';
import type { SettingsService } from '../settings/settings-service';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION } from '../store/collection-names';
import { effectiveLevel, isSharingLevel, SharingBounds } from './effective-level';
import type { MailboxScope } from './mailbox-scope';

/** Who is asking for mail on records: their user id, and whether a role of theirs holds the shared-mail snippet. */
export interface Viewer {
  userId: UserId;
  mayViewShared: boolean;
}

/** The owner's sharing choices (mailbox level, private folders) and the scopes they give a viewer. */
export class SharingService {
  private readonly access: MailAccess;

  constructor(
    private readonly db: Database,
    private readonly settings: SettingsService,
    private readonly accounts: AccountService,
  ) {
    this.access = new MailAccess(db);
  }

  async bounds(): Promise<SharingBounds> {
    const s = await this.settings.load();
    return { min: s.sharingMinLevel ?? null, max: s.sharingMaxLevel ?? null };
  }

  /** The account views with the level in force after the admin's bounds. */
  async withEffectiveLevels(views: MailAccountView[]): Promise<MailAccountView[]> {
    const bounds = await this.bounds();
    return views.map((v) => ({ ...v, effectiveSharingLevel: effectiveLevel(v.sharingLevel, bounds) }));
  }

  /** The owner sets the level colleagues see their mailbox at; another user's mailbox is a 404. */
  async setLevel(userId: UserId, accountId: unknown, level: unknown): Promise<MailAccountView> {
    if (!isSharingLevel(level))
      throw invalidInput('The sharing level must be one of: private, metadata, subject, full.');
    const row = await this.accounts.findForUser(userId, accountId as number);
    await row.update({ sharingLevel: level satisfies SharingLevel });
    const [view] = await this.withEffectiveLevels([await this.accounts.getForUser(userId, row.get('id') as number)]);
    return view;
  }

  /** The owner marks one of their folders private (never shared) or not; another user's folder is a 404. */
  async setFolderPrivate(userId: UserId, folderId: unknown, value: unknown): Promise<{ id: number; private: boolean }> {
    if (typeof value !== 'boolean') throw invalidInput('Say whether the folder is private with true or false.');
    const folder = await this.access.folder(userId, folderId);
    await this.db.getModel(FOLDERS_COLLECTION).update({ private: value }, { where: { id: folder.id } });
    return { id: folder.id, private: value };
  }

  /** The folders their owners marked private among these mailboxes. */
  async privateFolderIds(accountIds: number[]): Promise<number[]> {
    if (!accountIds.length) return [];
    const rows = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id'],
      where: { accountId: { [Op.in]: accountIds }, private: true },
      raw: true,
    })) as unknown as { id: number | string }[];
    return rows.map((r) => Number(r.id));
  }

  /** The WHERE over `mailMessages` that these scopes reach (see scopeWhere). */
  async messageWhere(scopes: MailboxScope[]): Promise<WhereOptions> {
    return scopeWhere(scopes, await this.privateFolderIds(scopes.filter((s) => !s.own).map((s) => s.accountId)));
  }

  /**
   * The mailboxes whose mail this viewer may see on records: their own at `full`, and with the snippet every
   * colleague's mailbox at its effective level unless that is `private`.
   */
  async scopesFor(viewer: Viewer): Promise<MailboxScope[]> {
    const rows = (await this.db.getModel(ACCOUNTS_COLLECTION).findAll({
      attributes: ['id', 'userId', 'sharingLevel'],
      where: viewer.mayViewShared ? {} : { userId: viewer.userId },
      order: [['id', 'ASC']],
      raw: true,
    })) as unknown as { id: number | string; userId: number | string; sharingLevel: SharingLevel | null }[];
    const bounds = viewer.mayViewShared ? await this.bounds() : { min: null, max: null };
    const scopes: MailboxScope[] = [];
    for (const row of rows) {
      const own = String(row.userId) === String(viewer.userId);
      const level = own ? 'full' : effectiveLevel(row.sharingLevel, bounds);
      if (level === 'private') continue;
      scopes.push({ accountId: Number(row.id), ownerId: Number(row.userId), own, level });
    }
    return scopes;
  }
}

/**
 * The `mailMessages` rows a set of scopes reaches, as a WHERE: own mailboxes whole; colleagues' mailboxes without
 * messages the sender marked private (Sensitivity: Private) and without the owner's private folders. Empty scopes
 * reach nothing.
 */
export function scopeWhere(scopes: MailboxScope[], privateFolderIds: number[]): WhereOptions {
  const own = scopes.filter((s) => s.own).map((s) => s.accountId);
  const shared = scopes.filter((s) => !s.own).map((s) => s.accountId);
  const reach: WhereOptions[] = [];
  if (own.length) reach.push({ accountId: { [Op.in]: own } });
  if (shared.length) {
    reach.push({
      accountId: { [Op.in]: shared },
      // null: a row stored before the column existed; its sender's mark is unknown, so it is not treated as private.
      sensitivityPrivate: { [Op.not]: true },
      ...(privateFolderIds.length ? { folderId: { [Op.notIn]: privateFolderIds } } : {}),
    });
  }
  return reach.length ? { [Op.or]: reach } : { id: { [Op.in]: [] } };
}
