import type { MockServer } from '@nocobase/test';
import { connectedUser, postForm, readFolder, sendingApp, waitFor } from './helpers/sending-app';

describe('drafts', () => {
  let app: MockServer;
  let a: Awaited<ReturnType<typeof connectedUser>>;
  let b: Awaited<ReturnType<typeof connectedUser>>;

  beforeAll(async () => {
    ({ app } = await sendingApp());
    a = await connectedUser(app, 'alice');
    b = await connectedUser(app, 'bob');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('a saved draft is in the Drafts folder with \\Draft; saving again replaces that copy; sending removes it', async () => {
    const first = await postForm(
      a.agent,
      'mailMessages:saveDraft',
      { accountId: a.accountId, subject: 'Half-written', html: '<p>Dear Bob,</p>' },
      [{ name: 'notes.txt', content: Buffer.from('draft notes'), contentType: 'text/plain' }],
    );
    expect(first.status).toBe(200);
    const draft = first.body.data;
    expect(draft).toMatchObject({ state: 'draft', to: [], subject: 'Half-written', copyError: null, attempts: 0 });

    let drafts = await readFolder(a.email, 'Drafts');
    expect(drafts).toHaveLength(1);
    expect(drafts[0].flags.has('\\Draft')).toBe(true);
    expect(drafts[0].parsed.messageId).toBe(draft.messageId);
    expect(drafts[0].parsed.attachments.map((x) => x.filename)).toEqual(['notes.txt']);

    const second = await a.agent.resource('mailMessages').saveDraft({
      values: { draftId: draft.id, to: b.email, subject: 'Almost done', html: '<p>Dear Bob, here it is.</p>' },
    });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({
      id: draft.id,
      state: 'draft',
      subject: 'Almost done',
      messageId: draft.messageId,
    });
    expect(second.body.data.attachments.map((x: { filename: string }) => x.filename)).toEqual(['notes.txt']);
    drafts = await readFolder(a.email, 'Drafts');
    expect(drafts.map((m) => m.parsed.subject)).toEqual(['Almost done']);

    const drafted = await a.agent.resource('mailOutbox').list({ state: 'draft' });
    expect(drafted.body.data.map((r: { id: number }) => r.id)).toEqual([draft.id]);

    const sent = await a.agent.resource('mailMessages').send({ values: { draftId: draft.id, keepAttachmentIds: [] } });
    expect(sent.status).toBe(200);
    expect(sent.body.data).toMatchObject({ id: draft.id, state: 'sent', attachments: [] });
    const [got] = await waitFor(
      async () => {
        const list = (await readFolder(b.email)).filter((m) => m.parsed.messageId === draft.messageId);
        return list.length ? list : null;
      },
      { what: 'the sent draft' },
    );
    expect(got.parsed.subject).toBe('Almost done');
    expect(got.parsed.attachments).toHaveLength(0);
    expect(await readFolder(a.email, 'Drafts')).toHaveLength(0);
  });

  it('deleting a draft removes it here and in Drafts; a sent message cannot be sent again as a draft', async () => {
    const saved = await a.agent
      .resource('mailMessages')
      .saveDraft({ values: { accountId: a.accountId, subject: 'Never mind' } });
    expect((await readFolder(a.email, 'Drafts')).map((m) => m.parsed.subject)).toEqual(['Never mind']);
    const del = await a.agent.resource('mailOutbox').destroy({ filterByTk: saved.body.data.id });
    expect(del.status).toBe(200);
    expect(await readFolder(a.email, 'Drafts')).toHaveLength(0);
    expect((await a.agent.resource('mailOutbox').get({ filterByTk: saved.body.data.id })).status).toBe(404);

    const sent = await a.agent
      .resource('mailMessages')
      .send({ values: { accountId: a.accountId, to: b.email, subject: 'Once', html: 'x' } });
    const again = await a.agent.resource('mailMessages').send({ values: { draftId: sent.body.data.id, to: b.email } });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].message).toMatch(/already sent/);
  });

  it("another user's draft is invisible: 404 on get, update, retry, delete and send", async () => {
    const saved = await a.agent
      .resource('mailMessages')
      .saveDraft({ values: { accountId: a.accountId, subject: 'Private' } });
    const id = saved.body.data.id;
    const outbox = b.agent.resource('mailOutbox');
    expect((await outbox.get({ filterByTk: id })).status).toBe(404);
    expect((await outbox.update({ filterByTk: id, values: { subject: 'Hijacked' } })).status).toBe(404);
    expect((await outbox.retry({ filterByTk: id })).status).toBe(404);
    expect((await outbox.destroy({ filterByTk: id })).status).toBe(404);
    expect((await b.agent.resource('mailMessages').send({ values: { draftId: id, to: b.email } })).status).toBe(404);
    expect((await outbox.list()).body.data).toEqual([]);
    expect((await a.agent.resource('mailOutbox').get({ filterByTk: id })).body.data.subject).toBe('Private');
  });

  it('disconnecting the account removes its outbox and drafts with their files', async () => {
    const c = await connectedUser(app, 'carol');
    await postForm(c.agent, 'mailMessages:saveDraft', { accountId: c.accountId, subject: 'Mine' }, [
      { name: 'f.txt', content: Buffer.from('f') },
    ]);
    const outbox = app.db.getRepository('mailOutbox');
    expect(await outbox.count({ filter: { accountId: c.accountId } })).toBe(1);
    const filesBefore = await app.db.getRepository('mailOutboxFiles').count();
    const res = await c.agent.resource('mailAccounts').disconnect({ filterByTk: c.accountId });
    expect(res.status).toBe(200);
    expect(await outbox.count({ filter: { accountId: c.accountId } })).toBe(0);
    expect(await app.db.getRepository('mailOutboxFiles').count()).toBe(filesBefore - 1);
  });
});
