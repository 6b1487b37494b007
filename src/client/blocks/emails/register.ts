import type { Application } from '@nocobase/client';
import { tval } from '../../locale';
import { EmailsBlock } from './EmailsBlock';
import { EmailsBlockInitializer } from './EmailsBlockInitializer';
import { emailsBlockSettings } from './emails-block-settings';
import { EMAILS_BLOCK_COMPONENT, EMAILS_BLOCK_INITIALIZER } from './emails-block-schema';

/** "Add block" menus of classic (v1) pages that offer the block: a page, and a record's popup or drawer. */
const ADD_BLOCK_MENUS = ['page:addBlock', 'popup:common:addBlock'];

/** The "Emails" block on classic pages: its component, its settings menu, and its place in "Add block". */
export function registerEmailsBlock(app: Application) {
  app.addComponents({ [EMAILS_BLOCK_COMPONENT]: EmailsBlock, [EMAILS_BLOCK_INITIALIZER]: EmailsBlockInitializer });
  app.schemaSettingsManager.add(emailsBlockSettings());
  for (const menu of ADD_BLOCK_MENUS) {
    app.schemaInitializerManager.addItem(menu, 'otherBlocks.mailbridgeEmails', {
      title: tval('Emails'),
      Component: EMAILS_BLOCK_INITIALIZER,
    });
  }
}
