import { MailFolderRole } from '../../../../shared/mail-reading';
import { microsoftProvider } from '../../../providers/microsoft';
import { MailProviderRegistry } from '../../../providers/registry';
import { folderRole, ListedFolder } from '../folder-role';

const outlook = microsoftProvider.folderNames;
const folder = (path: string, more: Partial<ListedFolder> = {}): ListedFolder => ({ path, delimiter: '/', ...more });

describe('folderRole', () => {
  it.each([
    ['INBOX in any case (RFC 3501 §5.1)', folder('inbox'), {}, MailFolderRole.inbox],
    [
      'a special-use flag wins over the name',
      folder('Gesendete Elemente', { specialUse: '\\Sent' }),
      {},
      MailFolderRole.sent,
    ],
    [
      'a flag among the folder flags',
      folder('Papierkorb', { flags: new Set(['\\HasNoChildren', '\\Trash']) }),
      {},
      MailFolderRole.trash,
    ],
    ["Outlook's name without flags, with the provider's names", folder('Sent Items'), outlook, MailFolderRole.sent],
    ["Outlook's name without flags, without them", folder('Sent Items'), {}, null],
    ['Deleted Items', folder('Deleted Items'), outlook, MailFolderRole.trash],
    ['Junk E-mail (older Exchange)', folder('Junk E-mail'), outlook, MailFolderRole.junk],
    ['a common name any server uses', folder('Drafts'), {}, MailFolderRole.drafts],
    ['a nested folder of the same name is an ordinary folder', folder('Projects/Sent Items'), outlook, null],
    ['an ordinary folder', folder('Invoices'), outlook, null],
  ])('%s', (_what, listed, names, role) => {
    expect(folderRole(listed, names)).toBe(role);
  });

  it("the registry answers with every provider's names", () => {
    const registry = new MailProviderRegistry();
    registry.register(microsoftProvider);
    expect(folderRole(folder('Deleted Items'), registry.folderNames())).toBe(MailFolderRole.trash);
    expect(new MailProviderRegistry().folderNames()).toEqual({});
  });
});
