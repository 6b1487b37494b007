import { Typography } from 'antd';
import { usePluginTranslation } from '../locale';

/** The redirect URI to register in Entra, with a copy button. */
export function RedirectUri({ uri }: { uri: string }) {
  const { t } = usePluginTranslation();
  return (
    <Typography.Text code copyable={{ text: uri, tooltips: [t('Copy'), t('Copied')] }} data-testid="redirect-uri">
      {uri}
    </Typography.Text>
  );
}
