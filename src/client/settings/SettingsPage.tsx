import { Card, Typography } from 'antd';
import { usePluginTranslation } from '../locale';

export function SettingsPage() {
  const { t } = usePluginTranslation();
  return (
    <Card>
      <Typography.Title level={3}>{t('Email manager')}</Typography.Title>
      <Typography.Paragraph>{t('Connect Outlook mailboxes and read and send mail inside NocoBase.')}</Typography.Paragraph>
    </Card>
  );
}
