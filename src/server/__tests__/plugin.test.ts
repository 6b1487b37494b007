import { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../test/helpers/plugin-app';
import { SETTINGS_ACL_SNIPPET } from '../../shared/constants';
import PluginEmailManagerServer from '../plugin';

describe('plugin in a running NocoBase app', () => {
  let app: MockServer;

  beforeAll(async () => {
    app = await createPluginApp();
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('is loaded and enabled beside the plugins a real app runs', () => {
    const plugin = app.pm.get(PluginEmailManagerServer);
    expect(plugin).toBeInstanceOf(PluginEmailManagerServer);
    expect(plugin.enabled).toBe(true);
  });

  it('keeps the mail settings to roles that hold its settings snippet', () => {
    expect(app.acl.snippetManager.snippets.has(SETTINGS_ACL_SNIPPET)).toBe(true);
    expect(app.acl.can({ role: 'root', resource: 'mailSettings', action: 'update' })).toBeTruthy();
    expect(app.acl.can({ role: 'member', resource: 'mailSettings', action: 'get' })).toBeFalsy();
  });
});
