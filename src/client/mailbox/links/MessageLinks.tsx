import { DisconnectOutlined, LinkOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { Button, Space, Tag, Tooltip, Typography, message } from 'antd';
import { useState } from 'react';
import type { MailRecordLink } from '../../../shared/mail-links';
import { linksApi } from '../../api/links-api';
import { useErrorText } from '../../hooks/useErrorText';
import { useMessageLinks } from '../../hooks/useMessageLinks';
import { usePluginTranslation } from '../../locale';
import { LinkRecordDialog } from './LinkRecordDialog';

/** The records a message is linked to, each with "Unlink" where the user made the link, and "Link to record…". */
export function MessageLinks({ messageId }: { messageId: number | string }) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const links = useMessageLinks(messageId);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);

  const unlink = async (link: MailRecordLink) => {
    setBusy(link.linkId);
    try {
      await linksApi.unlink(api, link.linkId);
      links.refresh();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 8 }} data-testid="message-links">
      <Button size="small" icon={<LinkOutlined />} onClick={() => setPicking(true)}>
        {t('Link to record…')}
      </Button>
      {links.error && <Typography.Text type="danger">{errorText(links.error)}</Typography.Text>}
      {(links.data ?? []).map((link) => (
        <Tag key={link.linkId} data-testid="message-link" style={{ marginInlineEnd: 0 }}>
          <Space size={4}>
            <Typography.Text type="secondary">{link.collectionTitle}:</Typography.Text>
            <Typography.Text>{link.recordTitle || link.recordKey}</Typography.Text>
            {link.kind === 'thread' && <Typography.Text type="secondary">{t('(conversation)')}</Typography.Text>}
            {link.own ? (
              <Button
                size="small"
                type="link"
                icon={<DisconnectOutlined />}
                loading={busy === link.linkId}
                onClick={() => unlink(link)}
              >
                {t('Unlink')}
              </Button>
            ) : (
              <Tooltip title={t('Linked by someone else')}>
                <Typography.Text type="secondary">·</Typography.Text>
              </Tooltip>
            )}
          </Space>
        </Tag>
      ))}
      <LinkRecordDialog
        messageId={messageId}
        open={picking}
        onClose={() => setPicking(false)}
        onLinked={() => {
          setPicking(false);
          message.success(t('Linked'));
          links.refresh();
        }}
      />
    </div>
  );
}
