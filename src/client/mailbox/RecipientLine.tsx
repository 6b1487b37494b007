import { useAPIClient } from '@nocobase/client';
import { Typography, message as toast } from 'antd';
import { useState } from 'react';
import type { MailAddress } from '../../shared/mail-reading-types';
import { messagesApi } from '../api/messages-api';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';
import { addressList, firstFew } from './format';

/**
 * One recipient field of the reading pane: the first few addresses and "and N more", which shows them all (fetched
 * from the server when the message carried only part of the list).
 */
export function RecipientLine(props: {
  messageId: number | string;
  field: 'to' | 'cc';
  label: string;
  list: MailAddress[];
  total: number;
}) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [all, setAll] = useState<MailAddress[] | null>(null);
  const [loading, setLoading] = useState(false);
  const { shown, more } = all ? { shown: all, more: 0 } : firstFew(props.list, props.total);

  const showAll = async () => {
    if (props.list.length >= props.total) return setAll(props.list);
    setLoading(true);
    try {
      setAll((await messagesApi.recipients(api, props.messageId))[props.field]);
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Typography.Text
      type="secondary"
      data-testid={`reading-${props.field}`}
      style={{ fontSize: 12, display: 'block', maxHeight: all ? 160 : undefined, overflowY: all ? 'auto' : undefined }}
    >
      {props.label} {addressList(shown) || '—'}
      {more > 0 && (
        <>
          {' '}
          <Typography.Link style={{ fontSize: 12 }} disabled={loading} onClick={showAll}>
            {t('and {{count}} more', { count: more })}
          </Typography.Link>
        </>
      )}
    </Typography.Text>
  );
}
