import type { ComponentType } from 'react';
import type { MailProviderKey } from '../../shared/constants';
import type { MailSettingsView } from '../../shared/types';

/** What the provider's part of the settings form receives. */
export interface ProviderSettingsFieldsProps {
  view: MailSettingsView;
  replacingSecret: boolean;
  setReplacingSecret(replacing: boolean): void;
}

/**
 * The client half of a mail provider: its part of the settings form and its words. Every text is a translation
 * key (kept in src/locale/), translated where it is shown.
 */
export interface ClientMailProvider {
  key: MailProviderKey;
  /** Title of the provider's card in the settings. */
  title: string;
  /** The button that starts a user's sign-in. */
  connectLabel: string;
  SettingsFields: ComponentType<ProviderSettingsFieldsProps>;
  wording: {
    /** Settings banner once users can connect. */
    configured: string;
    /** Empty mailbox page, before the first connect. */
    connectTitle: string;
    connectDescription: string;
    /** Empty mailbox page while the admin has not set up email. */
    notConfiguredHint: string;
    /** The sign-in could not start. */
    signInFailed: string;
    /** Banner of an account that must sign in again; `{{address}}`. */
    reconnectNotice: string;
    /** First sync banners; the second with `{{done}}` and `{{total}}`. */
    firstSync: string;
    firstSyncProgress: string;
    /** Under "Disconnect": what disconnecting leaves alone. */
    disconnectNote: string;
  };
}
