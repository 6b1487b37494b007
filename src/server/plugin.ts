import { Plugin } from '@nocobase/server';
import { SETTINGS_ACL_SNIPPET } from '../shared/constants';

export class PluginEmailManagerServer extends Plugin {
  async load() {
    // Admin-only resources are granted through this snippet; roles without it get 403.
    this.app.acl.registerSnippet({ name: SETTINGS_ACL_SNIPPET, actions: ['mailSettings:*'] });
  }
}

export default PluginEmailManagerServer;
