import { k, tval } from '../locale';

/** One entry of the workflow editor's variable picker (the v1 `VariableOption` shape). */
export interface VariableOption {
  key: string;
  value: string;
  label: string;
  children?: VariableOption[];
}

function option(key: string, label: string, children?: VariableOption[]): VariableOption {
  return { key, value: key, label: tval(label), ...(children ? { children } : {}) };
}

const address = (key: string, label: string) =>
  option(key, label, [option('name', k('Name')), option('address', k('Address'))]);

/** The mailbox and its owner: the same for both triggers. */
const mailbox = option('mailbox', k('Mailbox'), [
  option('accountId', k('Mailbox ID')),
  option('address', k('Address')),
  option('displayName', k('Display name')),
  option('ownerId', k('Owner ID')),
  option('owner', k('Owner'), [option('id', k('ID')), option('nickname', k('Nickname')), option('email', k('Email'))]),
]);

/** "Mail received": the variables its context holds (server: workflow/mail-context.ts). */
export const MAIL_RECEIVED_VARIABLES: VariableOption[] = [
  option('message', k('Message'), [
    option('id', k('ID')),
    option('messageId', k('Message-ID')),
    address('from', k('From')),
    option('fromAddress', k("Sender's address")),
    address('to', k('To')),
    address('cc', k('Cc')),
    option('subject', k('Subject')),
    option('date', k('Received at')),
    option('snippet', k('Preview')),
    option('text', k('Text body')),
    option('html', k('HTML body')),
    option('hasAttachments', k('Has attachments')),
    option('attachments', k('Attachments'), [
      option('filename', k('File name')),
      option('contentType', k('Type')),
      option('size', k('Size')),
    ]),
    option('folder', k('Folder'), [option('role', k('Role')), option('path', k('Path'))]),
  ]),
  mailbox,
];

/** "Mail sent": the variables its context holds. */
export const MAIL_SENT_VARIABLES: VariableOption[] = [
  option('message', k('Message'), [
    option('outboxId', k('ID')),
    option('messageId', k('Message-ID')),
    option('mode', k('Kind')),
    address('from', k('From')),
    address('to', k('To')),
    address('cc', k('Cc')),
    address('bcc', k('Bcc')),
    option('subject', k('Subject')),
    option('html', k('HTML body')),
    option('sentAt', k('Sent at')),
    option('inReplyTo', k('In reply to')),
  ]),
  mailbox,
];
