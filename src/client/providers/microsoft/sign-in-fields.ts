import type { MicrosoftSettingsView } from '../../../shared/providers/microsoft';

/** The settings the saved client secret is bound to. */
export type SignInFields = Partial<Pick<MicrosoftSettingsView, 'clientId' | 'tenant' | 'cloud' | 'authorityHost'>>;

/**
 * True when the form moves the sign-in away from what was saved (cloud, sign-in host, tenant or Client ID), in the
 * server's terms (src/server/providers/microsoft/settings.ts): it then refuses the saved secret until typed again.
 */
export function signInChanged(saved: SignInFields, values: Partial<SignInFields>): boolean {
  const norm = (v: unknown) =>
    String(v ?? '')
      .trim()
      .toLowerCase();
  const cloud = values.cloud ?? saved.cloud;
  if (cloud !== saved.cloud) return true;
  if (
    cloud === 'custom' &&
    values.authorityHost !== undefined &&
    norm(values.authorityHost)
      .replace(/^https:\/\//, '')
      .replace(/\/+$/, '') !== norm(saved.authorityHost)
  )
    return true;
  if (values.tenant !== undefined && (norm(values.tenant) || 'common') !== (norm(saved.tenant) || 'common'))
    return true;
  return values.clientId !== undefined && String(values.clientId ?? '').trim() !== String(saved.clientId ?? '').trim();
}
