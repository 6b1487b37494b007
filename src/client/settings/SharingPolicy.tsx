import { Form, Select, Switch } from 'antd';
import type { SharingLevel } from '../../shared/sharing';
import { usePluginTranslation } from '../locale';

/** Bounds on how much of any mailbox colleagues see on records, and the all-mail view for auditors. */
export function SharingPolicy() {
  const { t } = usePluginTranslation();
  const levels: { value: SharingLevel; label: string }[] = [
    { value: 'private', label: t('Not shared') },
    { value: 'metadata', label: t('Shared on records: participants and date') },
    { value: 'subject', label: t('Shared on records: plus subject') },
    { value: 'full', label: t('Shared on records: everything') },
  ];
  // A cleared select is sent as null (no bound), not left out (which would keep the saved bound).
  const clearable = (v: SharingLevel | undefined) => v ?? null;
  return (
    <>
      <Form.Item
        label={t('Minimum sharing level')}
        name="sharingMinLevel"
        normalize={clearable}
        extra={t('Every mailbox is shared at least this much, whatever its owner chose.')}
      >
        <Select allowClear placeholder={t('No minimum')} options={levels} style={{ maxWidth: 360 }} />
      </Form.Item>
      <Form.Item
        label={t('Maximum sharing level')}
        name="sharingMaxLevel"
        normalize={clearable}
        extra={t('No mailbox is shared more than this; "Not shared" turns sharing off for everyone.')}
      >
        <Select allowClear placeholder={t('No maximum')} options={levels} style={{ maxWidth: 360 }} />
      </Form.Item>
      <Form.Item
        label={t('All-mail view')}
        name="allMailEnabled"
        valuePropName="checked"
        extra={t(
          'Lets roles holding the "All mail" permission open any mailbox, except private folders and private messages. Every read is logged for the mailbox owner.',
        )}
      >
        <Switch />
      </Form.Item>
    </>
  );
}
