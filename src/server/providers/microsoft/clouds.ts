import { MicrosoftCloud } from '../../../shared/providers/microsoft';
import type { TlsMode } from '../../transport/tls-mode';

export interface MicrosoftCloudProfile {
  title: string;
  /** Sign-in host; the authority is `https://<host>/<tenant>`. */
  authorityHost: string;
  /**
   * The Exchange Online resource the IMAP/SMTP scopes belong to. Outlook accepts only tokens for this resource:
   * the short names (`IMAP.AccessAsUser.All`) are read as Microsoft Graph scopes and IMAP answers
   * `NO AUTHENTICATE failed`.
   */
  outlookResource: string;
  imap: { host: string; port: number; tls: TlsMode };
  /** Exchange Online files a copy of SMTP-submitted mail in Sent Items itself. */
  smtp: { host: string; port: number; tls: TlsMode; savesSentCopy: boolean };
}

/**
 * Microsoft's clouds as data (Microsoft's national cloud and Exchange Online endpoint documentation).
 * `custom` borrows the global resource and TLS modes and takes authority and hosts from the settings; whether its
 * SMTP server files the Sent copy is the admin's `appendSentCopy` setting.
 */
export const MICROSOFT_CLOUDS: Record<Exclude<MicrosoftCloud, 'custom'>, MicrosoftCloudProfile> = {
  global: {
    title: 'Microsoft 365 / Outlook.com (global)',
    authorityHost: 'login.microsoftonline.com',
    outlookResource: 'https://outlook.office.com',
    imap: { host: 'outlook.office365.com', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls', savesSentCopy: true },
  },
  usgov: {
    title: 'Microsoft 365 GCC High (US Government)',
    authorityHost: 'login.microsoftonline.us',
    outlookResource: 'https://outlook.office365.us',
    imap: { host: 'outlook.office365.us', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.office365.us', port: 587, tls: 'starttls', savesSentCopy: true },
  },
  china: {
    title: 'Microsoft 365 operated by 21Vianet (China)',
    authorityHost: 'login.chinacloudapi.cn',
    outlookResource: 'https://partner.outlook.cn',
    imap: { host: 'partner.outlook.cn', port: 993, tls: 'implicit' },
    smtp: { host: 'smtp.partner.outlook.cn', port: 587, tls: 'starttls', savesSentCopy: true },
  },
};

export function isMicrosoftCloud(value: unknown): value is MicrosoftCloud {
  return typeof value === 'string' && (Object.values(MicrosoftCloud) as string[]).includes(value);
}

/** The profile a cloud starts from; `custom` starts from the global one. */
export function baseProfile(cloud: string): MicrosoftCloudProfile {
  if (!isMicrosoftCloud(cloud) || cloud === MicrosoftCloud.custom) return MICROSOFT_CLOUDS.global;
  return MICROSOFT_CLOUDS[cloud];
}

/** Delegated permissions for IMAP and SMTP on the cloud's Outlook resource (one resource per token request). */
export function outlookScopes(resource: string): string[] {
  return [`${resource}/IMAP.AccessAsUser.All`, `${resource}/SMTP.Send`];
}

/**
 * OpenID scopes. MSAL adds openid, profile and offline_access to every request by itself; `email` is ours so the
 * ID token carries the mailbox address (Graph /me is out: AADSTS28000 forbids a second resource in one request).
 */
export const EXTRA_OPENID_SCOPES = ['email'];
