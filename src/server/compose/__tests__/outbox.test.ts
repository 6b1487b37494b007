import type { MockServer } from '@nocobase/test';
import { connectedUser, readFolder, sendingApp, startPostfixAgain, stopPostfix, waitFor } from './helpers/sending-app';
import { usePrivateMailStack } from '../../../../test/helpers/private-mail-stack';

// This suite takes mail servers down on purpose: it gets a stack of its own.
usePrivateMailStack('outbox');

describe('outbox: a failed send is kept, and a retry delivers exactly once', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app } = await sendingApp());
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
  });
  afterAll(async () => {
    await startPostfixAgain().catch(() => undefined);
    await app?.destroy();
  });

  const copiesOf = async (messageId: string) =>
    (await readFolder(b.email)).filter((m) => m.parsed.messageId === messageId).length;

  it('with Postfix stopped the message stays in the outbox with the reason; after a restart one retry delivers one copy', async () => {
    await stopPostfix();
    let res;
    try {
      res = await a.agent.resource('mailMessages').send({
        values: {
          accountId: a.accountId,
          to: b.email,
          subject: 'Sent while the server was down',
          html: '<p>Still here?</p>',
        },
      });
    } finally {
      await startPostfixAgain();
    }
    expect(res.status).toBe(202);
    const failed = res.body.data;
    expect(failed).toMatchObject({ state: 'failed', failureCode: 'TRANSIENT', attempts: 1 });
    expect(failed.failureReason).toMatch(/could not be reached.*stays in the outbox/);

    const listed = await a.agent.resource('mailOutbox').list({ state: 'failed' });
    expect(listed.body.data.map((r: { id: number }) => r.id)).toContain(failed.id);
    expect(await copiesOf(failed.messageId)).toBe(0);

    const retried = await a.agent.resource('mailOutbox').retry({ filterByTk: failed.id });
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({
      state: 'sent',
      attempts: 2,
      failureReason: null,
      messageId: failed.messageId,
    });
    await waitFor(async () => (await copiesOf(failed.messageId)) === 1, { what: 'the retried message' });

    // Retrying a sent message answers with it as it is and sends nothing.
    const again = await a.agent.resource('mailOutbox').retry({ filterByTk: failed.id });
    expect(again.body.data).toMatchObject({ state: 'sent', attempts: 2 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await copiesOf(failed.messageId)).toBe(1);
  });

  it('two concurrent retries of a failed message deliver it once', async () => {
    await stopPostfix();
    let res;
    try {
      res = await a.agent
        .resource('mailMessages')
        .send({ values: { accountId: a.accountId, to: b.email, subject: 'Race', html: 'x' } });
    } finally {
      await startPostfixAgain();
    }
    const id = res.body.data.id;
    const [r1, r2] = await Promise.all([
      a.agent.resource('mailOutbox').retry({ filterByTk: id }),
      a.agent.resource('mailOutbox').retry({ filterByTk: id }),
    ]);
    // A retry that finds the other one still sending answers at once that it is being sent; neither sends again.
    const states = [r1.body.data.state, r2.body.data.state].sort();
    expect([
      ['sent', 'sent'],
      ['sending', 'sent'],
    ]).toContainEqual(states);
    expect(Math.max(r1.body.data.attempts, r2.body.data.attempts)).toBe(2);
    await waitFor(async () => (await copiesOf(res.body.data.messageId)) === 1, { what: 'the raced message' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await copiesOf(res.body.data.messageId)).toBe(1);
  });

  it('a failed message can be edited, and the retry sends the edited version under the same Message-ID', async () => {
    await stopPostfix();
    let res;
    try {
      res = await a.agent
        .resource('mailMessages')
        .send({ values: { accountId: a.accountId, to: 'typo@example.tset', subject: 'Draft one', html: 'first' } });
    } finally {
      await startPostfixAgain();
    }
    const id = res.body.data.id;
    const edited = await a.agent
      .resource('mailOutbox')
      .update({ filterByTk: id, values: { to: b.email, subject: 'Draft two', html: '<p>second</p>' } });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({
      state: 'failed',
      subject: 'Draft two',
      to: [{ name: '', address: b.email }],
    });
    const sent = await a.agent.resource('mailOutbox').retry({ filterByTk: id });
    expect(sent.body.data.state).toBe('sent');
    const [got] = await waitFor(async () => {
      const list = (await readFolder(b.email)).filter((m) => m.parsed.messageId === res.body.data.messageId);
      return list.length ? list : null;
    });
    expect(got.parsed.subject).toBe('Draft two');
    expect(got.parsed.text?.trim()).toBe('second');
    // A sent message is history: it can no longer be changed.
    const late = await a.agent.resource('mailOutbox').update({ filterByTk: id, values: { subject: 'Draft three' } });
    expect(late.status).toBe(409);
  });
});
