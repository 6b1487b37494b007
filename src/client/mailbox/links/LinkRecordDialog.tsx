import { useAPIClient } from '@nocobase/client';
import { Alert, Form, Modal, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { linksApi } from '../../api/links-api';
import { useErrorText } from '../../hooks/useErrorText';
import { useLinkableCollections } from '../../hooks/useLinkableCollections';
import { usePluginTranslation } from '../../locale';
import { RecordSelect } from './RecordSelect';

interface Props {
  messageId: number | string;
  open: boolean;
  onClose(): void;
  onLinked(): void;
}

/** "Link to record…": a collection the user may view, then one of its records; the server's refusal in its words. */
export function LinkRecordDialog({ messageId, open, onClose, onLinked }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const collections = useLinkableCollections(open);
  const [collectionName, setCollectionName] = useState<string>();
  const [recordKey, setRecordKey] = useState<string>();
  const [whole, setWhole] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const collection = collections.data?.find((c) => c.name === collectionName);

  useEffect(() => {
    if (!open) return;
    setCollectionName(undefined);
    setRecordKey(undefined);
    setWhole(false);
    setError(null);
  }, [open]);

  const link = async () => {
    if (!collection || recordKey === undefined) return;
    setSaving(true);
    setError(null);
    try {
      await linksApi.link(api, { messageId, collection: collection.name, recordKey, whole });
      onLinked();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('Link to record')}
      okText={whole ? t('Link conversation') : t('Link message')}
      okButtonProps={{ disabled: !collection || recordKey === undefined, loading: saving }}
      onOk={link}
      onCancel={onClose}
      destroyOnClose
    >
      <Form layout="vertical">
        <Form.Item label={t('Collection')}>
          <Select<string>
            showSearch
            optionFilterProp="label"
            aria-label={t('Collection')}
            data-testid="link-collection-select"
            loading={collections.loading}
            value={collectionName}
            onChange={(name) => {
              setCollectionName(name);
              setRecordKey(undefined);
              setError(null);
            }}
            options={(collections.data ?? []).map((c) => ({ value: c.name, label: c.title }))}
            notFoundContent={collections.error ? errorText(collections.error) : t('No collection you can view')}
          />
        </Form.Item>
        {collection && (
          <Form.Item label={t('Record')}>
            <RecordSelect key={collection.name} collection={collection} value={recordKey} onChange={setRecordKey} />
          </Form.Item>
        )}
        <Form.Item label={t('What to link')}>
          <Radio.Group
            data-testid="link-whole"
            value={whole}
            onChange={(e) => setWhole(e.target.value as boolean)}
            options={[
              { value: false, label: t('This message') },
              { value: true, label: t('The whole conversation, replies to come included') },
            ]}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} data-testid="link-error" />}
    </Modal>
  );
}
