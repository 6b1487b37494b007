import type { EmailsBlockProps } from './emails-block-props';

export const EMAILS_BLOCK_COMPONENT = 'MailbridgeEmailsBlock';
export const EMAILS_BLOCK_INITIALIZER = 'MailbridgeEmailsBlockInitializer';
export const EMAILS_BLOCK_SETTINGS = 'blockSettings:mailbridgeEmails';

/** The block's schema as "Add block" inserts it: a card with the block's own settings menu. */
export function emailsBlockSchema(props: EmailsBlockProps = {}) {
  return {
    type: 'void',
    'x-settings': EMAILS_BLOCK_SETTINGS,
    'x-decorator': 'CardItem',
    'x-decorator-props': { name: 'mailbridgeEmails' },
    'x-component': EMAILS_BLOCK_COMPONENT,
    'x-component-props': props,
  };
}
