import { useFieldSchema } from '@formily/react';
import { useBlockRequestContext, useCollection } from '@nocobase/client';
import { message as toast } from 'antd';
import { usePluginTranslation } from '../../locale';
import { readSettings } from './action-settings';
import { useOpenBulkSend } from './BulkSendProvider';

/**
 * The table's bulk "Send email" button (`x-use-component-props`): on click, one message per selected row, from the
 * action's settings ("Recipients and message").
 */
export function useSendEmailBulkActionProps() {
  const { t } = usePluginTranslation();
  const schema = useFieldSchema();
  const collection = useCollection();
  const { field } = useBlockRequestContext();
  const open = useOpenBulkSend();
  return {
    onClick() {
      const rows = field?.data?.selectedRowData ?? [];
      const keyField = collection?.getFilterTargetKey();
      if (!collection || typeof keyField !== 'string') return;
      if (!rows.length) {
        toast.warning(t('Select the rows to send to first.'));
        return;
      }
      open({
        collection: collection.name,
        rows,
        settings: readSettings(schema['x-action-settings']?.sendEmail, collection.getFields()),
        keyField,
        titleField: collection.titleField,
      });
    },
  };
}
