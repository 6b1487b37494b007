import { Form, InputNumber } from 'antd';
import { usePluginTranslation } from '../locale';

/** How mailboxes sync and what a message may carry, for every user. */
export function SyncDefaults() {
  const { t } = usePluginTranslation();
  const range = (min: number, max: number) => ({
    type: 'integer' as const,
    min,
    max,
    required: true,
    message: t('Enter a whole number from {{min}} to {{max}}.', { min, max }),
  });
  return (
    <>
      <Form.Item label={t('First sync goes back (days)')} name="syncWindowDays" rules={[range(1, 3650)]}>
        <InputNumber min={1} max={3650} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item
        label={t('Sync interval (minutes)')}
        name="syncIntervalMinutes"
        extra={t('New mail in the Inbox arrives at once; other folders are checked this often.')}
        rules={[range(1, 1440)]}
      >
        <InputNumber min={1} max={1440} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item label={t('Attachment size limit (MB)')} name="maxAttachmentMb" rules={[range(1, 150)]}>
        <InputNumber min={1} max={150} style={{ width: 160 }} />
      </Form.Item>
    </>
  );
}
