import type { MailSettingsInput, MailSettingsView } from '../../shared/types';

/** What the settings form edits: the view minus what only the server decides, plus a new secret when replacing. */
export type SettingsFormValues = Omit<MailSettingsView, 'clientSecretSet' | 'redirectUri' | 'configured'> & { clientSecret?: string };

export function toFormValues(view: MailSettingsView): SettingsFormValues {
  const { clientSecretSet: _set, redirectUri: _uri, configured: _configured, ...values } = view;
  return { ...values, clientSecret: '' };
}

/** The save body: a blank secret is left out, so the saved one stays. */
export function toInput(values: SettingsFormValues): MailSettingsInput {
  const { clientSecret, ...rest } = values;
  const input: MailSettingsInput = { ...rest };
  if (clientSecret && clientSecret.trim()) input.clientSecret = clientSecret.trim();
  if (rest.cloud !== 'custom') delete input.authorityHost;
  return input;
}

/** The settings the saved client secret is bound to. */
export type SignInFields = Pick<SettingsFormValues, 'clientId' | 'tenant' | 'cloud' | 'authorityHost'>;

/**
 * True when the form moves the sign-in away from what was saved (cloud, sign-in host, tenant or Client ID), in the
 * server's terms (src/server/providers/microsoft/settings.ts): it then refuses the saved secret until typed again.
 */
export function signInChanged(saved: SignInFields, values: Partial<SignInFields>): boolean {
  const norm = (v: unknown) => String(v ?? '').trim().toLowerCase();
  const cloud = values.cloud ?? saved.cloud;
  if (cloud !== saved.cloud) return true;
  if (cloud === 'custom' && values.authorityHost !== undefined && norm(values.authorityHost).replace(/^https:\/\//, '').replace(/\/+$/, '') !== norm(saved.authorityHost)) return true;
  if (values.tenant !== undefined && (norm(values.tenant) || 'common') !== (norm(saved.tenant) || 'common')) return true;
  return values.clientId !== undefined && String(values.clientId ?? '').trim() !== String(saved.clientId ?? '').trim();
}
