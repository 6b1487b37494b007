import { DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Space, Tag, message as toast } from 'antd';
import { useState } from 'react';
import { attachmentFileName } from '../../shared/mail-reading-files';
import type { MailAttachmentMeta } from '../../shared/mail-reading-types';
import { useDownloadAttachment } from '../hooks/useDownload';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';
import { fileSize } from './format';

/** The files attached to a message (not its inline pictures), each with its size and a download button. */
export function AttachmentList({
  messageId,
  attachments,
}: {
  messageId: number | string;
  attachments: MailAttachmentMeta[];
}) {
  const { t } = usePluginTranslation();
  const download = useDownloadAttachment();
  const errorText = useErrorText();
  const [busy, setBusy] = useState<string | null>(null);
  const files = attachments.filter((a) => !a.inline);
  if (!files.length) return null;
  return (
    <Space wrap data-testid="attachments" style={{ padding: '8px 0' }}>
      {files.map((a) => {
        // The name the download gets: without bidi overrides that fake an extension, and with one derived from the type.
        const name = attachmentFileName(a);
        return (
          <Tag key={a.part} icon={<PaperClipOutlined />} style={{ padding: '4px 8px' }}>
            <span>{name}</span> <span style={{ color: '#8c8c8c' }}>({fileSize(a.size)})</span>
            <Button
              size="small"
              type="link"
              icon={<DownloadOutlined />}
              loading={busy === a.part}
              aria-label={t('Download {{name}}', { name })}
              onClick={async () => {
                setBusy(a.part);
                try {
                  await download(messageId, a.part, name);
                } catch (err) {
                  toast.error(errorText(err));
                } finally {
                  setBusy(null);
                }
              }}
            />
          </Tag>
        );
      })}
    </Space>
  );
}
