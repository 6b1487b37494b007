import { Plugin } from '@nocobase/client';
import { SETTINGS_ACL_SNIPPET, SETTINGS_KEY } from '../shared/constants';
import { tval } from './locale';
import { SettingsPage } from './settings/SettingsPage';

export class PluginEmailManagerClient extends Plugin {
  async load() {
    this.app.pluginSettingsManager.add(SETTINGS_KEY, {
      title: tval('Email manager'),
      icon: 'MailOutlined',
      Component: SettingsPage,
      aclSnippet: SETTINGS_ACL_SNIPPET,
    });
  }
}

export default PluginEmailManagerClient;
