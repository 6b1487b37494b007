import { ActionInitializer, type Application } from '@nocobase/client';
import { tval } from '../../locale';
import {
  SEND_EMAIL_ACTION,
  SEND_EMAIL_BULK_ACTION,
  SEND_EMAIL_BULK_PROPS_HOOK,
  SEND_EMAIL_PROPS_HOOK,
  SEND_EMAIL_SETTINGS,
} from './action-settings';
import { BulkSendProvider } from './BulkSendProvider';
import { createSendEmailActionSettings } from './SendEmailActionSettings';
import { SendEmailComposerProvider } from './SendEmailComposer';
import { useSendEmailActionProps } from './useSendEmailActionProps';
import { useSendEmailBulkActionProps } from './useSendEmailBulkActionProps';

function actionItem(component: 'Action' | 'Action.Link', bulk = false) {
  return {
    title: tval('Send email'),
    Component: ActionInitializer,
    schema: {
      type: 'void',
      title: tval('Send email'),
      'x-action': bulk ? SEND_EMAIL_BULK_ACTION : SEND_EMAIL_ACTION,
      'x-component': component,
      'x-toolbar': 'ActionSchemaToolbar',
      'x-settings': SEND_EMAIL_SETTINGS,
      'x-use-component-props': bulk ? SEND_EMAIL_BULK_PROPS_HOOK : SEND_EMAIL_PROPS_HOOK,
      'x-action-settings': {},
      'x-component-props': { icon: 'MailOutlined' },
    },
  };
}

/**
 * "Send email" on records of classic (v1) pages: in a table row's actions and a details block's actions. The
 * composer opens with the record's addresses; the sent message is linked to the record. In a table's own actions
 * it sends to the selected rows: one message per record, each linked to its record.
 */
export function registerSendEmailAction(app: Application): void {
  app.use(SendEmailComposerProvider);
  app.use(BulkSendProvider);
  app.addScopes({
    [SEND_EMAIL_PROPS_HOOK]: useSendEmailActionProps,
    [SEND_EMAIL_BULK_PROPS_HOOK]: useSendEmailBulkActionProps,
  });
  app.schemaSettingsManager.add(createSendEmailActionSettings());
  app.schemaInitializerManager.addItem('table:configureItemActions', 'mailbridgeSendEmail', actionItem('Action.Link'));
  app.schemaInitializerManager.addItem('details:configureActions', 'mailbridgeSendEmail', actionItem('Action'));
  app.schemaInitializerManager.addItem('table:configureActions', 'mailbridgeSendEmail', actionItem('Action', true));
}
