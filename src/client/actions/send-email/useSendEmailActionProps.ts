import { useFieldSchema } from '@formily/react';
import { useCollection, useCollectionRecordData } from '@nocobase/client';
import { message as toast } from 'antd';
import { usePluginTranslation } from '../../locale';
import { composerTarget, readSettings } from './action-settings';
import { useOpenSendEmail } from './SendEmailComposer';

/**
 * The "Send email" button's props (`x-use-component-props`): on click, the composer with the row's (or the
 * details block's) record: its addresses, the subject and body from the action's settings filled with its values.
 */
export function useSendEmailActionProps() {
  const { t } = usePluginTranslation();
  const schema = useFieldSchema();
  const collection = useCollection();
  const record = useCollectionRecordData() ?? {};
  const open = useOpenSendEmail();
  return {
    onClick() {
      const key = collection?.getFilterTargetKey();
      const recordKey = typeof key === 'string' ? record[key] : undefined;
      if (!collection || (typeof recordKey !== 'string' && typeof recordKey !== 'number')) {
        toast.warning(t('This action needs a record: add it to a table row or a details block.'));
        return;
      }
      const settings = readSettings(schema['x-action-settings']?.sendEmail, collection.getFields());
      open(composerTarget(collection.name, recordKey, record, settings));
    },
  };
}
