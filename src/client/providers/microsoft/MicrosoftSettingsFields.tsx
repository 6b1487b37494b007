import { Form } from 'antd';
import type { MicrosoftSettingsView } from '../../../shared/providers/microsoft';
import { usePluginTranslation } from '../../locale';
import { RedirectUri } from '../../settings/RedirectUri';
import { toFormValues } from '../../settings/form-values';
import type { ProviderSettingsFieldsProps } from '../types';
import { MicrosoftFields } from './MicrosoftFields';
import { SetupSteps } from './SetupSteps';
import type { SignInFields } from './sign-in-fields';

/** Microsoft's card in the settings: the setup steps, the redirect URI to register in Entra, the app's fields. */
export function MicrosoftSettingsFields({ view, replacingSecret, setReplacingSecret }: ProviderSettingsFieldsProps) {
  const { t } = usePluginTranslation();
  const secretSet = (view as unknown as MicrosoftSettingsView).clientSecretSet;
  return (
    <>
      <SetupSteps />
      <Form.Item
        label={t('Redirect URI')}
        extra={t('Register exactly this address as a Web redirect URI of the app.')}
        style={{ marginTop: 16 }}
      >
        <RedirectUri uri={view.redirectUri} />
      </Form.Item>
      <MicrosoftFields
        saved={toFormValues(view) as SignInFields}
        secretSet={secretSet}
        replacingSecret={replacingSecret}
        setReplacingSecret={setReplacingSecret}
      />
    </>
  );
}
