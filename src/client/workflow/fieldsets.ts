import { MailFolderRole } from '../../shared/mail-reading';
import { MailboxSelection, SendFrom } from '../../shared/mail-workflow';
import { k, tval } from '../locale';

/**
 * The config forms, as Formily schemas the v1 workflow editor renders (`fieldset`), built from the components every
 * NocoBase page has. Text fields take workflow variables written as `{{$context.message.subject}}`: the engine
 * replaces them when the node runs.
 */
const text = (title: string, description?: string, multiline = false) => ({
  type: 'string',
  title: tval(title),
  ...(description ? { description: tval(description) } : {}),
  'x-decorator': 'FormItem',
  'x-component': multiline ? 'Input.TextArea' : 'Input',
  ...(multiline ? { 'x-component-props': { autoSize: { minRows: 4 } } } : {}),
});

const checkbox = (title: string, description?: string) => ({
  type: 'boolean',
  'x-content': tval(title),
  ...(description ? { description: tval(description) } : {}),
  'x-decorator': 'FormItem',
  'x-component': 'Checkbox',
});

const tags = (title: string, description: string, visibleWhen: string) => ({
  type: 'array',
  title: tval(title),
  description: tval(description),
  'x-decorator': 'FormItem',
  'x-component': 'Select',
  'x-component-props': { mode: 'tags', open: false },
  'x-reactions': { dependencies: ['mailboxes'], fulfill: { state: { visible: `{{$deps[0] === "${visibleWhen}"}}` } } },
});

const mailboxes = {
  mailboxes: {
    type: 'string',
    title: tval('Mailboxes'),
    'x-decorator': 'FormItem',
    'x-component': 'Radio.Group',
    enum: [
      { label: tval('All connected mailboxes'), value: MailboxSelection.all },
      { label: tval('The listed mailboxes'), value: MailboxSelection.accounts },
      { label: tval('Mailboxes of users with a role'), value: MailboxSelection.roles },
    ],
    default: MailboxSelection.all,
  },
  accountIds: tags(k('Mailbox IDs'), k('The IDs of the mailboxes (mailAccounts) to watch.'), MailboxSelection.accounts),
  roles: tags(k('Roles'), k('Role names, such as member or admin.'), MailboxSelection.roles),
};

const FOLDER_LABELS: Record<string, string> = {
  inbox: k('Inbox'),
  sent: k('Sent'),
  archive: k('Archive'),
  junk: k('Junk'),
  drafts: k('Drafts'),
  trash: k('Trash'),
};

export const MAIL_RECEIVED_FIELDSET = {
  ...mailboxes,
  folderRoles: {
    type: 'array',
    title: tval('Folders'),
    description: tval('By role, so "Inbox" is the Inbox on any provider. Default: the Inbox.'),
    'x-decorator': 'FormItem',
    'x-component': 'Select',
    'x-component-props': { mode: 'multiple', allowClear: true },
    enum: Object.values(MailFolderRole).map((role) => ({ label: tval(FOLDER_LABELS[role]), value: role })),
    default: [MailFolderRole.inbox],
  },
  from: text(k('From contains')),
  to: text(k('To or Cc contains')),
  subject: text(k('Subject contains')),
  hasAttachments: checkbox(k('Only messages with attachments')),
  includeExisting: checkbox(
    k('Include existing mail'),
    k('Also run for mail that was already in a mailbox when it was connected.'),
  ),
};

export const MAIL_SENT_FIELDSET = { ...mailboxes };

export const SEND_EMAIL_FIELDSET = {
  from: {
    type: 'string',
    title: tval('Send from'),
    'x-decorator': 'FormItem',
    'x-component': 'Radio.Group',
    enum: [
      { label: tval('The mailbox the mail arrived in'), value: SendFrom.trigger },
      { label: tval('Another mailbox'), value: SendFrom.account },
    ],
    default: SendFrom.trigger,
  },
  accountId: {
    ...text(k('Mailbox ID'), k('Only the owner of a mailbox can send from it in their workflows.')),
    'x-reactions': {
      dependencies: ['from'],
      fulfill: { state: { visible: `{{$deps[0] === "${SendFrom.account}"}}` } },
    },
  },
  replyToTrigger: checkbox(
    k('Reply to the message that started the workflow'),
    k('Threaded as a reply; without recipients it answers the sender.'),
  ),
  to: text(k('To'), k('Addresses separated by commas, or a variable.')),
  cc: text(k('Cc')),
  bcc: text(k('Bcc')),
  subject: text(k('Subject')),
  html: text(k('Body (HTML)'), undefined, true),
  attachments: text(
    k('Attachments'),
    k('Files of the file manager: a variable with an attachment field of a record, or file IDs.'),
  ),
  ignoreFail: checkbox(k('Continue the workflow if sending fails')),
};

export const LINK_EMAIL_FIELDSET = {
  collection: text(k('Collection'), k('The name of the collection the record is in, such as tickets.')),
  recordKey: text(k('Record'), k('The key of the record, usually a variable of an earlier node.')),
  whole: checkbox(k('Link the whole conversation')),
  ignoreFail: checkbox(k('Continue the workflow if linking fails')),
};

export const SAVE_ATTACHMENTS_FIELDSET = {
  filename: text(k('File names'), k('Patterns separated by commas, such as *.pdf, invoice-*. Blank: every file.')),
  contentType: text(
    k('File types'),
    k('Patterns separated by commas, such as application/pdf, image/*. Blank: every type.'),
  ),
  ignoreFail: checkbox(k('Continue the workflow if saving fails')),
};
