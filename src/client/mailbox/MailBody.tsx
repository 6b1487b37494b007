import { PictureOutlined } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { MailMessageView } from '../../shared/mail-reading-types';
import { useInlineImages } from '../hooks/useInlineImages';
import { usePluginTranslation } from '../locale';
import { mailSrcdoc, textToHtml, withInlineImages } from './mail-frame';
import { SandboxedMailFrame } from './SandboxedMailFrame';

/** The message body in the sandboxed frame (SandboxedMailFrame). Remote images stay blocked until the user clicks "Show images". */
export function MailBody({ message, height }: { message: MailMessageView; height?: number | string }) {
  const { t } = usePluginTranslation();
  const [showRemote, setShowRemote] = useState(false);
  useEffect(() => setShowRemote(false), [message.id]);
  const inline = useInlineImages(message.id, message.html);
  const srcdoc = useMemo(() => {
    const body = message.html ? withInlineImages(message.html, inline) : textToHtml(message.text ?? '');
    return mailSrcdoc(body, { showRemote });
  }, [message.html, message.text, inline, showRemote]);

  return (
    <div style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }}>
      {message.bodyError && (
        <Alert
          type="warning"
          showIcon
          message={t('Part of this message could not be read')}
          description={message.bodyError}
          style={{ marginBottom: 8 }}
        />
      )}
      {message.hasRemoteContent && !showRemote && (
        <Alert
          data-testid="remote-content-notice"
          type="info"
          icon={<PictureOutlined />}
          showIcon
          message={t('Pictures from the internet are blocked to protect your privacy.')}
          action={
            <Button size="small" onClick={() => setShowRemote(true)}>
              {t('Show images')}
            </Button>
          }
          style={{ marginBottom: 8 }}
        />
      )}
      <SandboxedMailFrame srcdoc={srcdoc} style={{ flex: 1, minHeight: height ?? 240 }} />
    </div>
  );
}
