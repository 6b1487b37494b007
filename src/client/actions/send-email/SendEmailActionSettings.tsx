import { useFieldSchema } from '@formily/react';
import {
  ActionDesigner,
  SchemaSettings,
  SchemaSettingsModalItem,
  useCollection,
  useCompile,
  useDesignable,
  useSchemaToolbar,
} from '@nocobase/client';
import { usePluginTranslation } from '../../locale';
import { addressFields, readSettings, recipientsAndMessageSchema, SEND_EMAIL_SETTINGS } from './action-settings';

/** "Recipients and message": which fields give To and Cc, and the default subject and body. */
function RecipientsAndMessage() {
  const { t } = usePluginTranslation();
  const schema = useFieldSchema();
  const collection = useCollection();
  const compile = useCompile();
  const { dn, refresh } = useDesignable();
  const fields = collection?.getFields() ?? [];
  const options = addressFields(fields).map((f) => ({
    value: f.name,
    label: f.uiSchema?.title ? `${compile(f.uiSchema.title)} (${f.name})` : f.name,
  }));
  const current = readSettings(schema['x-action-settings']?.sendEmail, fields);
  return (
    <SchemaSettingsModalItem
      title={t('Recipients and message')}
      width={640}
      initialValues={{ ...current }}
      schema={{
        type: 'object',
        title: t('Recipients and message'),
        properties: recipientsAndMessageSchema(options, t),
      }}
      onSubmit={(values) => {
        const settings = {
          ...(schema['x-action-settings'] ?? {}),
          sendEmail: {
            to: values.to ?? [],
            cc: values.cc ?? [],
            subject: values.subject ?? '',
            body: values.body ?? '',
          },
        };
        schema['x-action-settings'] = settings;
        dn.emit('patch', { schema: { 'x-uid': schema['x-uid'], 'x-action-settings': settings } });
        refresh();
      }}
    />
  );
}

/**
 * The action's settings menu: NocoBase's own "Edit button" and "Delete", and the mail settings between them. Made
 * when the plugin loads, not when this module is read: the host's components are there only then.
 */
export function createSendEmailActionSettings(): SchemaSettings {
  return new SchemaSettings({
    name: SEND_EMAIL_SETTINGS,
    items: [
      {
        name: 'editButton',
        Component: ActionDesigner.ButtonEditor,
        useComponentProps: () => useSchemaToolbar().buttonEditorProps,
      },
      { name: 'recipientsAndMessage', Component: RecipientsAndMessage as never },
      {
        name: 'remove',
        sort: 100,
        Component: ActionDesigner.RemoveButton,
        useComponentProps: () => useSchemaToolbar().removeButtonProps,
      },
    ],
  });
}
