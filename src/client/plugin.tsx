import { Plugin } from '@nocobase/client';
import { MAILBOX_ROUTE_PATH, SETTINGS_ACL_SNIPPET, SETTINGS_KEY } from '../shared/constants';
import { registerEmailsBlock } from './blocks/emails/register';
import { tval } from './locale';
import { MailboxPage } from './mailbox/MailboxPage';
import { MailTopBarProvider } from './mailbox/MailTopBarProvider';
import { microsoftClientProvider } from './providers/microsoft';
import { mailProviders } from './providers/registry';
import { SettingsPage } from './settings/SettingsPage';
import { registerMailWorkflowUI } from './workflow/register';
import { registerSendEmailAction } from './actions/send-email/register';
import { createEmailsBlockModel } from './flow/EmailsBlockModel';
import { createSendEmailActionModel } from './flow/SendEmailActionModel';

export class PluginEmailManagerClient extends Plugin {
  async afterAdd() {
    this.app.use(MailTopBarProvider);
  }

  async load() {
    mailProviders.register(microsoftClientProvider);
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      title: tval('Email manager'),
      icon: 'MailOutlined',
      Component: SettingsPage,
      aclSnippet: SETTINGS_ACL_SNIPPET,
    });
    // Inside the admin layout (top bar, menu), like NocoBase's own workflow task center.
    this.app.router.add('admin.mailbridge-email', { path: `/${MAILBOX_ROUTE_PATH}`, Component: MailboxPage });
    registerMailWorkflowUI(this.app);
    registerSendEmailAction(this.app);
    registerEmailsBlock(this.app);
    // Modern (v2) pages: the block and the action as flow models.
    this.flowEngine.registerModels({
      EmailsBlockModel: createEmailsBlockModel(),
      SendEmailActionModel: createSendEmailActionModel(),
    });
  }
}

export default PluginEmailManagerClient;
