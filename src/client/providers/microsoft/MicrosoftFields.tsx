import { Alert, Collapse, Form, Input, InputNumber, Select, Switch } from 'antd';
import type { Rule } from 'antd/es/form';
import { MicrosoftCloud } from '../../../shared/providers/microsoft';
import { usePluginTranslation } from '../../locale';
import { SignInFields, signInChanged } from './sign-in-fields';
import { SecretField } from '../../settings/SecretField';
import {
  authorityHostProblem,
  clientIdProblem,
  hostProblem,
  publicUrlProblem,
  secretProblem,
  tenantProblem,
} from './validation';

interface Props {
  /** The sign-in settings as saved: the saved secret belongs to them. */
  saved: SignInFields;
  secretSet: boolean;
  replacingSecret: boolean;
  setReplacingSecret(replacing: boolean): void;
}

/** Microsoft's part of the settings form: the app registration, the tenant and the (folded) endpoints. */
export function MicrosoftFields({ saved, secretSet, replacingSecret, setReplacingSecret }: Props) {
  const { t } = usePluginTranslation();
  const cloud = Form.useWatch('cloud') as string | undefined;
  const clientId = Form.useWatch('clientId') as string | undefined;
  const tenant = Form.useWatch('tenant') as string | undefined;
  const authorityHost = Form.useWatch('authorityHost') as string | undefined;
  // The server sends the saved secret only to the sign-in settings it was saved with: a change needs it again.
  const mustRetype =
    secretSet &&
    signInChanged(saved, { cloud: cloud as SignInFields['cloud'] | undefined, clientId, tenant, authorityHost });
  const keepingSecret = secretSet && !mustRetype;
  const check = (problem: (value: unknown) => string | null): Rule => ({
    validator: (_rule, value) => {
      const key = problem(value);
      return key ? Promise.reject(new Error(t(key))) : Promise.resolve();
    },
  });
  const port: Rule = { type: 'integer', min: 1, max: 65535, message: t('A port is a number from 1 to 65535.') };

  return (
    <>
      <Form.Item
        label={t('Client ID')}
        name="clientId"
        extra={t("Application (client) ID from the app's Overview page.")}
        rules={[check((v) => clientIdProblem(v, cloud))]}
      >
        <Input placeholder="11111111-2222-3333-4444-555555555555" autoComplete="off" />
      </Form.Item>
      <Form.Item
        label={t('Client secret')}
        name="clientSecret"
        extra={keepingSecret && !replacingSecret ? t('A secret is saved. It is never shown again.') : undefined}
        rules={[
          check(secretProblem),
          ...(keepingSecret
            ? []
            : [
                {
                  required: true,
                  message: mustRetype
                    ? t('Type the client secret again for the changed sign-in settings.')
                    : t('Paste the client secret to let users connect.'),
                },
              ]),
        ]}
      >
        <SecretField
          isSet={keepingSecret}
          replacing={replacingSecret}
          onReplace={() => setReplacingSecret(true)}
          onKeep={() => setReplacingSecret(false)}
        />
      </Form.Item>
      {mustRetype && (
        <Alert
          type="warning"
          showIcon
          data-testid="sign-in-changed"
          style={{ marginBottom: 16 }}
          message={t(
            'You changed the cloud, sign-in host, tenant or Client ID: type the client secret again. The saved secret is only ever sent to the sign-in settings it was saved with.',
          )}
          description={t(
            'Connected mailboxes keep their sign-in, but those signed in through another sign-in host or app cannot sync until their users reconnect. Changing the settings back makes them work again.',
          )}
        />
      )}
      <Form.Item
        label={t('Tenant')}
        name="tenant"
        extra={t('common, organizations, consumers, or your Directory (tenant) ID for a single-tenant app.')}
        rules={[check(tenantProblem)]}
      >
        <Input placeholder="common" autoComplete="off" />
      </Form.Item>
      <Form.Item label={t('Cloud')} name="cloud">
        <Select
          options={[
            { value: MicrosoftCloud.global, label: t('Global (Microsoft 365, Outlook.com)') },
            { value: MicrosoftCloud.usGov, label: t('US Government (GCC High)') },
            { value: MicrosoftCloud.china, label: t('China (21Vianet)') },
            { value: MicrosoftCloud.custom, label: t('Custom') },
          ]}
        />
      </Form.Item>
      <Collapse
        ghost
        defaultActiveKey={cloud === MicrosoftCloud.custom ? ['advanced'] : []}
        items={[
          {
            key: 'advanced',
            label: t('Advanced: sign-in host, mail servers, public URL'),
            forceRender: true,
            children: (
              <>
                {cloud === MicrosoftCloud.custom && (
                  <Form.Item label={t('Sign-in host')} name="authorityHost" rules={[check(authorityHostProblem)]}>
                    <Input placeholder="login.microsoftonline.com" />
                  </Form.Item>
                )}
                <Form.Item label={t('IMAP server')} required={false} style={{ marginBottom: 0 }}>
                  <Form.Item
                    name="imapHost"
                    rules={[check(hostProblem)]}
                    style={{ display: 'inline-block', width: 'calc(70% - 8px)', marginRight: 8 }}
                  >
                    <Input aria-label={t('IMAP host')} placeholder="outlook.office365.com" />
                  </Form.Item>
                  <Form.Item name="imapPort" rules={[port]} style={{ display: 'inline-block', width: '30%' }}>
                    <InputNumber aria-label={t('IMAP port')} style={{ width: '100%' }} placeholder="993" />
                  </Form.Item>
                </Form.Item>
                <Form.Item label={t('SMTP server')} style={{ marginBottom: 0 }}>
                  <Form.Item
                    name="smtpHost"
                    rules={[check(hostProblem)]}
                    style={{ display: 'inline-block', width: 'calc(70% - 8px)', marginRight: 8 }}
                  >
                    <Input aria-label={t('SMTP host')} placeholder="smtp.office365.com" />
                  </Form.Item>
                  <Form.Item name="smtpPort" rules={[port]} style={{ display: 'inline-block', width: '30%' }}>
                    <InputNumber aria-label={t('SMTP port')} style={{ width: '100%' }} placeholder="587" />
                  </Form.Item>
                </Form.Item>
                {cloud === MicrosoftCloud.custom && (
                  // Microsoft's clouds file a copy of sent mail in Sent Items themselves; a custom server may not.
                  <Form.Item
                    label={t('Store a copy of sent mail in Sent')}
                    name="appendSentCopy"
                    valuePropName="checked"
                    extra={t('Leave off for Outlook, which files its own copy.')}
                  >
                    <Switch />
                  </Form.Item>
                )}
                <Form.Item
                  label={t('Public URL')}
                  name="publicUrl"
                  extra={t('The address users open NocoBase at; the redirect URI is built from it.')}
                  rules={[check(publicUrlProblem)]}
                >
                  <Input placeholder="https://nocobase.example.com/" />
                </Form.Item>
              </>
            ),
          },
        ]}
      />
    </>
  );
}
