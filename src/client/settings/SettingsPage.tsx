import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { Alert, Button, Card, Form, Result, Skeleton, Space, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import type { MailSettingsTestResult } from '../../shared/types';
import { settingsApi } from '../api/settings-api';
import { useErrorText } from '../hooks/useErrorText';
import { usePluginTranslation } from '../locale';
import { mailProviders } from '../providers/registry';
import { SettingsFormValues, toFormValues, toInput } from './form-values';
import { SharingPolicy } from './SharingPolicy';
import { SyncDefaults } from './SyncDefaults';
import { TestResult } from './TestResult';

/** Settings → Email manager: the provider's sign-in settings (its own card) and the sync defaults, admin only. */
export function SettingsPage() {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<SettingsFormValues>();
  const settings = useRequest(() => settingsApi.get(api));
  const [replacingSecret, setReplacingSecret] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<MailSettingsTestResult | null>(null);
  const view = settings.data;
  const provider = mailProviders.get(view?.provider);

  useEffect(() => {
    if (view) form.setFieldsValue(toFormValues(view) as Parameters<typeof form.setFieldsValue>[0]);
  }, [view, form]);

  const save = async () => {
    setSaveError(null);
    let values: SettingsFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const saved = await settingsApi.update(api, toInput({ ...form.getFieldsValue(true), ...values }));
      settings.mutate(saved);
      setReplacingSecret(false);
      setDirty(false);
      message.success(t('Settings saved'));
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const test = async () => {
    setTestResult(null);
    setTesting(true);
    try {
      setTestResult(await settingsApi.test(api, toInput(form.getFieldsValue(true))));
    } catch (err) {
      setTestResult({ ok: false, message: errorText(err) });
    } finally {
      setTesting(false);
    }
  };

  if (settings.error && !view) {
    return (
      <Card>
        <Result
          status="error"
          title={t('The email settings could not be loaded')}
          subTitle={errorText(settings.error)}
          extra={<Button onClick={settings.refresh}>{t('Try again')}</Button>}
        />
      </Card>
    );
  }

  return (
    <Card>
      <Typography.Title level={3}>{t('Email manager')}</Typography.Title>
      {!view ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 880 }}>
          {view.configured ? (
            <Alert type="success" showIcon message={t(provider.wording.configured)} />
          ) : (
            <Alert
              type="info"
              showIcon
              message={t(
                'Email is not set up yet. Follow the steps below; users can connect their mailboxes once the Client ID and secret are saved.',
              )}
            />
          )}
          <Form
            form={form}
            layout="vertical"
            requiredMark={false}
            onValuesChange={() => {
              setDirty(true);
              setTestResult(null);
            }}
          >
            <Card type="inner" title={t(provider.title)} style={{ marginBottom: 16 }}>
              <provider.SettingsFields
                view={view}
                replacingSecret={replacingSecret}
                setReplacingSecret={setReplacingSecret}
              />
            </Card>
            <Card type="inner" title={t('Sync defaults')}>
              <SyncDefaults />
            </Card>
            <Card type="inner" title={t('Sharing')} style={{ marginTop: 16 }}>
              <SharingPolicy />
            </Card>
          </Form>
          {testResult && <TestResult result={testResult} />}
          {saveError && (
            <Alert type="error" showIcon message={t('The settings were not saved')} description={saveError} />
          )}
          <Space>
            <Button type="primary" onClick={save} loading={saving} disabled={!dirty}>
              {t('Save')}
            </Button>
            <Button onClick={test} loading={testing}>
              {t('Test configuration')}
            </Button>
            <Typography.Text type={dirty ? 'warning' : 'secondary'} data-testid="settings-save-state">
              {dirty ? t('Unsaved changes') : t('All changes saved')}
            </Typography.Text>
          </Space>
        </Space>
      )}
    </Card>
  );
}
