import { MICROSOFT_PROVIDER_KEY } from '../../../shared/providers/microsoft';
import { k } from '../../locale';
import type { ClientMailProvider } from '../types';
import { MicrosoftSettingsFields } from './MicrosoftSettingsFields';

export const microsoftClientProvider: ClientMailProvider = {
  key: MICROSOFT_PROVIDER_KEY,
  title: k('Microsoft (Outlook)'),
  connectLabel: k('Connect Outlook'),
  SettingsFields: MicrosoftSettingsFields,
  wording: {
    configured: k('Email is set up: users can connect their Outlook mailboxes.'),
    connectTitle: k('Connect your Outlook mailbox'),
    connectDescription: k(
      'Read and send your mail without leaving NocoBase. Microsoft asks you to sign in and allow access; your password never reaches NocoBase.',
    ),
    notConfiguredHint: k(
      'Enter your Microsoft app registration in Settings → Email manager, then connect your mailbox here.',
    ),
    signInFailed: k('Could not start the Microsoft sign-in'),
    reconnectNotice: k('{{address}} needs you to sign in to Microsoft again.'),
    firstSync: k('Getting your mail from Outlook…'),
    firstSyncProgress: k('Getting your mail from Outlook: {{done}} of {{total}} messages'),
    disconnectNote: k('Its mail is removed from NocoBase. Nothing is deleted in Outlook.'),
  },
};
