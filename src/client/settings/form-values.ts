import type { MailSettingsInput, MailSettingsView } from '../../shared/types';

/** What the settings form edits: the view minus what only the server decides, plus a new secret when replacing. */
export type SettingsFormValues = MailSettingsInput & { clientSecret?: string };

export function toFormValues(view: MailSettingsView): SettingsFormValues {
  const { clientSecretSet: _set, redirectUri: _uri, configured: _configured, ...values } = view;
  return { ...values, clientSecret: '' };
}

/** The save body: a blank secret is left out, so the saved one stays. */
export function toInput(values: SettingsFormValues): MailSettingsInput {
  const { clientSecret, ...rest } = values;
  const input: MailSettingsInput = { ...rest };
  if (typeof clientSecret === 'string' && clientSecret.trim()) input.clientSecret = clientSecret.trim();
  if (rest.cloud !== 'custom') delete input.authorityHost;
  return input;
}
