import { BlockModel, type FlowContext, type FlowStepContext } from '@nocobase/client';
import { LOCALE_NAMESPACE } from '../../shared/constants';
import {
  addressFieldCandidates,
  associationPathCandidates,
  EMAIL_COLUMNS_DEFAULT,
  EMAILS_PAGE_SIZE_DEFAULT,
  EMAILS_PAGE_SIZES,
  type EmailsBlockProps,
} from '../blocks/emails/emails-block-props';
import { EmailsBlockView, type BlockRecord } from '../blocks/emails/EmailsBlock';
import { columnsSchema, fieldSelectSchema, foundBySchema, sourceSchema } from '../blocks/emails/settings-schema';
import { tval } from '../locale';

/** The record of the popup or drawer a model sits in, as its view names it; null on a page. */
function blockRecord(context: FlowContext): BlockRecord | null {
  const args = context.view?.inputArgs;
  if (!args?.collectionName || (typeof args.filterByTk !== 'string' && typeof args.filterByTk !== 'number'))
    return null;
  return { collection: args.collectionName, filterByTk: args.filterByTk };
}

/** The "Data source" step's form: the classic block's settings, in one dialog. */
function settingsSchema(ctx: FlowStepContext): Record<string, unknown> {
  const t = (key: string) => ctx.t(key, { ns: LOCALE_NAMESPACE });
  const record = blockRecord(ctx.model.context);
  const fieldsOf = (name: string) => ctx.dataSourceManager.getCollection('main', name)?.getFields();
  const own = record ? (fieldsOf(record.collection) ?? []) : [];
  const options = [...addressFieldCandidates(own), ...associationPathCandidates(own, fieldsOf)].map((f) => ({
    label: `${f.uiSchema?.title ?? f.name} (${f.name})`,
    value: f.name,
  }));
  return {
    source: sourceSchema(!!record, t),
    ...(record
      ? {
          foundBy: foundBySchema(t),
          addressFields: fieldSelectSchema(t('Address fields'), options, t),
          domainFields: fieldSelectSchema(t('Domain fields'), options, t),
        }
      : {}),
    columns: columnsSchema(t('Columns'), t),
    pageSize: {
      type: 'number',
      title: t('Page size'),
      'x-decorator': 'FormItem',
      'x-component': 'Select',
      enum: EMAILS_PAGE_SIZES.map((n) => ({ label: String(n), value: n })),
    },
  };
}

/**
 * The "Emails" block on modern (v2) pages ("Add block → Other blocks → Emails"). In a record's popup it lists that
 * record's mail, the record its view names; on a page, the user's own mail. Its settings are the classic block's,
 * as one flow step. Made when the plugin loads, not when the bundle is read: `BlockModel` is the host's, which a
 * bundle evaluated on its own (the package test) lacks.
 */
export function createEmailsBlockModel() {
  class EmailsBlockModel extends BlockModel {
    renderComponent() {
      return <EmailsBlockView {...(this.props as EmailsBlockProps)} record={blockRecord(this.context)} />;
    }
  }
  EmailsBlockModel.define({ label: tval('Emails'), createModelOptions: { use: 'EmailsBlockModel' } });
  EmailsBlockModel.registerFlow({
    key: 'mailbridgeEmailsSettings',
    title: tval('Emails'),
    on: 'beforeRender',
    steps: {
      dataSource: {
        title: tval('Data source'),
        uiSchema: settingsSchema,
        defaultParams: (ctx) => ({
          source: blockRecord(ctx.model.context) ? 'record' : 'mine',
          foundBy: 'both',
          addressFields: [],
          domainFields: [],
          columns: EMAIL_COLUMNS_DEFAULT,
          pageSize: EMAILS_PAGE_SIZE_DEFAULT,
        }),
        handler(ctx, params) {
          ctx.model.setProps(params);
        },
      },
    },
  });
  return EmailsBlockModel;
}
