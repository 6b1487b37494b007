import { Alert } from 'antd';
import type { MailSettingsTestResult } from '../../shared/types';
import { usePluginTranslation } from '../locale';

/** The server's verdict on "Test configuration", in its words. */
export function TestResult({ result }: { result: MailSettingsTestResult }) {
  const { t } = usePluginTranslation();
  return (
    <Alert
      data-testid="settings-test-result"
      type={result.ok ? 'success' : 'error'}
      showIcon
      message={result.ok ? t('The configuration works') : t('The configuration does not work yet')}
      description={result.message}
    />
  );
}
