import { ActionModel, ActionSceneEnum, type FlowStepContext } from '@nocobase/client';
import { LOCALE_NAMESPACE } from '../../shared/constants';
import {
  addressFields,
  composerTarget,
  readSettings,
  recipientsAndMessageSchema,
} from '../actions/send-email/action-settings';
import { openSendEmail } from '../actions/send-email/SendEmailComposer';
import { tval } from '../locale';

/** "Recipients and message": the classic action's settings, as one flow step's form. */
function settingsSchema(ctx: FlowStepContext): Record<string, unknown> {
  const options = addressFields(ctx.collection?.getFields() ?? []).map((f) => ({
    value: f.name,
    label: `${f.uiSchema?.title ?? f.name} (${f.name})`,
  }));
  return recipientsAndMessageSchema(options, (key, values) => ctx.t(key, { ...values, ns: LOCALE_NAMESPACE }));
}

/** The click: the app's composer, with the row's (or details block's) record, as the classic action opens it. */
function openComposer(ctx: FlowStepContext): void {
  const record = ctx.record ?? {};
  const collection = ctx.collection;
  const recordKey = collection && ctx.record ? collection.getFilterByTK(ctx.record) : undefined;
  if (!collection || (typeof recordKey !== 'string' && typeof recordKey !== 'number')) {
    ctx.message.warning(
      ctx.t('This action needs a record: add it to a table row or a details block.', { ns: LOCALE_NAMESPACE }),
    );
    return;
  }
  const settings = readSettings(ctx.model.props.sendEmail, collection.getFields());
  openSendEmail(composerTarget(collection.name, recordKey, record, settings));
}

/**
 * "Send email" on modern (v2) pages: a table row's action ("+" on the Actions column) and a details block's. The
 * composer opens with the record's addresses and the action's subject and message; the message is linked to the
 * record, as on classic pages. Made when the plugin loads (see createEmailsBlockModel).
 */
export function createSendEmailActionModel() {
  class SendEmailActionModel extends ActionModel {
    static scene = ActionSceneEnum.record;
    defaultProps = { type: 'link', title: tval('Send email'), icon: 'MailOutlined' };
  }
  SendEmailActionModel.define({ label: tval('Send email'), createModelOptions: { use: 'SendEmailActionModel' } });
  SendEmailActionModel.registerFlow({
    key: 'mailbridgeSendEmailSettings',
    title: tval('Send email'),
    on: 'beforeRender',
    steps: {
      recipientsAndMessage: {
        title: tval('Recipients and message'),
        uiSchema: settingsSchema,
        handler(ctx, params) {
          ctx.model.setProps({ sendEmail: params });
        },
      },
    },
  });
  SendEmailActionModel.registerFlow({
    key: 'mailbridgeSendEmailClick',
    on: 'click',
    steps: { open: { handler: openComposer } },
  });
  return SendEmailActionModel;
}
