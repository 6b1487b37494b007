import { matchesMail, watchesMailbox, MailReceivedConfig, StoredMail, Mailbox } from '../received-filter';
import { messageKey } from '../delivery-key';

const mailbox: Mailbox = {
  accountId: 7,
  ownerRoles: ['member', 'sales'],
  connectedSince: new Date('2026-12-01T10:00:00.400Z'),
};
const mail = (over: Partial<StoredMail> = {}): StoredMail => ({
  folderRole: 'inbox',
  from: [{ name: 'Carla Customer', address: 'carla@acme.example' }],
  to: [{ name: '', address: 'me@example.test' }],
  cc: [{ name: 'Team', address: 'team@example.test' }],
  subject: 'Invoice 2026-12',
  hasAttachments: true,
  date: new Date('2026-12-02T08:00:00Z'),
  ...over,
});

describe('which mailboxes a "Mail received" workflow watches', () => {
  it.each<[MailReceivedConfig, boolean]>([
    [{}, true],
    [{ mailboxes: 'all' }, true],
    [{ mailboxes: 'accounts', accountIds: ['7'] }, true],
    [{ mailboxes: 'accounts', accountIds: [8] }, false],
    [{ mailboxes: 'accounts' }, false],
    [{ mailboxes: 'roles', roles: ['sales'] }, true],
    [{ mailboxes: 'roles', roles: ['admin'] }, false],
  ])('%j → %s', (config, expected) => {
    expect(watchesMailbox(config, mailbox)).toBe(expected);
  });
});

describe('which stored mail starts it', () => {
  it.each<[string, MailReceivedConfig, Partial<StoredMail>, boolean]>([
    ['the Inbox by default', {}, {}, true],
    ['not another folder by default', {}, { folderRole: 'archive' }, false],
    ['not a folder without a role', {}, { folderRole: null }, false],
    ['a folder listed by role', { folderRoles: ['archive', 'inbox'] }, { folderRole: 'archive' }, true],
    ['from contains, in the address', { from: 'ACME.example' }, {}, true],
    ['from contains, in the name', { from: 'carla cust' }, {}, true],
    ['from that does not match', { from: 'bob@' }, {}, false],
    ['to matches To or Cc', { to: 'team@' }, {}, true],
    ['to that does not match', { to: 'sales@' }, {}, false],
    ['subject contains, any case', { subject: 'invoice' }, {}, true],
    ['subject that does not match', { subject: 'order' }, {}, false],
    ['has attachments', { hasAttachments: true }, { hasAttachments: false }, false],
    ['has no attachments', { hasAttachments: false }, {}, false],
    ['blank pre-filters match everything', { from: ' ', subject: '' }, {}, true],
    ['mail received before the connection is existing mail', {}, { date: new Date('2026-11-30T00:00:00Z') }, false],
    ['…unless existing mail is included', { includeExisting: true }, { date: new Date('2026-11-30T00:00:00Z') }, true],
    // INTERNALDATE has whole seconds: mail that arrived in the second of the connection is new, not existing.
    ['mail received in the second of the connection', {}, { date: new Date('2026-12-01T10:00:00.000Z') }, true],
  ])('%s', (_what, config, over, expected) => {
    expect(matchesMail(config, mail(over), mailbox)).toBe(expected);
  });
});

describe('a config saved with values of the wrong type (through the API, not the editor)', () => {
  const hostile = [5, { a: 1 }, ['x'], true, 'x'];
  it('never throws, and matches nothing it cannot read', () => {
    for (const value of hostile) {
      const lists = { mailboxes: 'accounts', accountIds: value, roles: value } as unknown as MailReceivedConfig;
      expect(watchesMailbox(lists, mailbox)).toBe(false);
      expect(watchesMailbox({ ...lists, mailboxes: 'roles' }, mailbox)).toBe(false);
      if (typeof value === 'string') continue;
      for (const field of ['from', 'to', 'subject', 'folderRoles'])
        expect(matchesMail({ [field]: value } as unknown as MailReceivedConfig, mail(), mailbox)).toBe(false);
    }
  });
});

describe('the key of a delivered message', () => {
  const base = {
    messageId: '<a@example.net>',
    from: [{ name: 'A', address: 'A@Example.net' }],
    sentAt: '2026-12-01T10:00:00Z',
    subject: 'Hi',
    size: 1200,
  };

  it('is the Message-ID when there is one', () => {
    expect(messageKey(base)).toBe('<a@example.net>');
  });

  it('without one, a hash of sender, date, subject and size: the same for every copy, different for another message', () => {
    const copy = { ...base, messageId: null, from: [{ name: 'other name', address: 'a@example.net' }] };
    expect(messageKey(copy)).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(messageKey({ ...copy, messageId: '  ' })).toBe(messageKey(copy));
    expect(messageKey({ ...copy, subject: 'Hi again' })).not.toBe(messageKey(copy));
    expect(messageKey({ ...copy, size: 1201 })).not.toBe(messageKey(copy));
  });
});
