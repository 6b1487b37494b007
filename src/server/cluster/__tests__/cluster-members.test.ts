import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { ClusterMembers } from '../cluster-members';
import { LeaseTable } from '../lease-table';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ClusterMembers', () => {
  let app: MockServer;
  let leases: LeaseTable;

  beforeAll(async () => {
    app = await createPluginApp();
    leases = new LeaseTable(app.db);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('counts the nodes whose membership lives: not one that left, nor one whose lease ran out, nor another app', async () => {
    // `_` in the prefix: a LIKE would read it as a wildcard and count the other app's node.
    const [a, b, c] = ['a', 'b', 'c'].map((id) => new ClusterMembers(leases, 'app_1:node:', id));
    const otherApp = new ClusterMembers(leases, 'appX1:node:', 'd');
    await Promise.all([a.beat(60_000), b.beat(60_000), c.beat(200), otherApp.beat(60_000)]);
    expect(await a.count()).toBe(3);
    await a.beat(60_000);
    expect(await a.count()).toBe(3);
    await b.leave();
    await sleep(300);
    expect(await a.count()).toBe(1);
    await c.beat(60_000);
    expect(await a.count()).toBe(2);
  });
});
