import { useAPIClient } from '@nocobase/client';
import { message } from 'antd';
import { useCallback } from 'react';
import { messagesApi, type BulkAction } from '../api/messages-api';
import { usePluginTranslation } from '../locale';
import { announceMailChange } from './mail-changes';
import { useErrorText } from './useErrorText';

type Id = number | string;

/** Read/unread, flag, move and delete for one or many messages; failures are shown in the server's words. */
export function useMessageActions(afterChange: () => void) {
  const api = useAPIClient();
  const { t } = usePluginTranslation();
  const errorText = useErrorText();

  const done = useCallback(() => {
    afterChange();
    announceMailChange();
  }, [afterChange]);

  const bulk = useCallback(
    async (action: BulkAction, ids: Id[]) => {
      try {
        await messagesApi.bulk(api, action, ids);
        if (action === 'delete') message.success(t('Deleted {{count}} message(s)', { count: ids.length }));
        done();
        return true;
      } catch (err) {
        message.error(errorText(err));
        return false;
      }
    },
    [api, done, errorText, t],
  );

  const move = useCallback(
    async (ids: Id[], folderId: Id, folderName: string) => {
      try {
        await messagesApi.move(api, ids, folderId);
        message.success(t('Moved {{count}} message(s) to {{folder}}', { count: ids.length, folder: folderName }));
        done();
        return true;
      } catch (err) {
        message.error(errorText(err));
        return false;
      }
    },
    [api, done, errorText, t],
  );

  return { bulk, move };
}
