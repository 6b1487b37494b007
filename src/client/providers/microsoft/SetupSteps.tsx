import { Typography } from 'antd';
import { usePluginTranslation } from '../../locale';

/** The short version of docs/microsoft-setup.md, in the order an admin does it. */
export function SetupSteps() {
  const { t } = usePluginTranslation();
  return (
    <Typography>
      <ol style={{ paddingLeft: 20, margin: 0 }}>
        <li>{t('Copy the redirect URI below.')}</li>
        <li>
          {t(
            'In the Microsoft Entra admin center, open App registrations → New registration. Choose who may connect, and add the redirect URI with the platform "Web".',
          )}
        </li>
        <li>
          {t(
            'Under API permissions, add the delegated Microsoft Graph permissions offline_access, IMAP.AccessAsUser.All, SMTP.Send, openid, email and profile (grant admin consent if your organization requires it).',
          )}
        </li>
        <li>{t('Under Certificates & secrets, create a client secret and copy its Value (not the Secret ID).')}</li>
        <li>
          {t(
            'Paste the Application (client) ID and the secret here, choose the tenant, click Test configuration, then Save.',
          )}
        </li>
      </ol>
    </Typography>
  );
}
