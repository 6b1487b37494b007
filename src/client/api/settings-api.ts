import type { APIClient } from '@nocobase/client';
import { MAIL_SETTINGS_RESOURCE, MailSettingsAction } from '../../shared/constants';
import type { MailSettingsInput, MailSettingsTestResult, MailSettingsView } from '../../shared/types';
import { get, post } from './request';

const action = (name: string) => `${MAIL_SETTINGS_RESOURCE}:${name}`;

export const settingsApi = {
  get: (api: APIClient) => get<MailSettingsView>(api, action(MailSettingsAction.get)),
  update: (api: APIClient, values: MailSettingsInput) =>
    post<MailSettingsView>(api, action(MailSettingsAction.update), values),
  /** Checks the saved settings overlaid with the unsaved form values. */
  test: (api: APIClient, values: MailSettingsInput) =>
    post<MailSettingsTestResult>(api, action(MailSettingsAction.test), values),
};
