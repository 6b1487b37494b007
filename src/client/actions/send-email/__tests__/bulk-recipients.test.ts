import { bulkRecipients } from '../bulk-recipients';

const rows = [
  { id: 1, name: 'ACME', email: 'buyer@acme.test', manager: 'boss@acme.test' },
  { id: 2, name: 'Globex', email: 'a@globex.test; b@globex.test' },
  { id: 3, name: 'Initech', email: '' },
  { id: 1, name: 'ACME', email: 'buyer@acme.test' },
  { name: 'No key', email: 'x@y.test' },
];
const settings = { to: ['email'], cc: ['manager'] };
const templates = { subject: 'News for {{name}}', body: 'Dear {{name}},\n\nnews.' };

describe('bulk "Send email": one message per selected record', () => {
  it('makes one message per record, with its own addresses and filled templates', () => {
    const plan = bulkRecipients(rows, settings, templates, 'id', 'name');
    expect(plan.ready).toEqual([
      {
        recordKey: 1,
        title: 'ACME',
        to: ['buyer@acme.test'],
        cc: ['boss@acme.test'],
        subject: 'News for ACME',
        html: '<p>Dear ACME,</p><p>news.</p>',
      },
      {
        recordKey: 2,
        title: 'Globex',
        to: ['a@globex.test', 'b@globex.test'],
        cc: [],
        subject: 'News for Globex',
        html: '<p>Dear Globex,</p><p>news.</p>',
      },
    ]);
  });

  it('skips a record without an address, names it, and counts a record selected twice once', () => {
    const plan = bulkRecipients(rows, settings, templates, 'id', 'name');
    expect(plan.skipped).toEqual([{ recordKey: 3, title: 'Initech' }]);
    expect(plan.ready.map((r) => r.recordKey)).toEqual([1, 2]);
  });

  it('titles a record by its key when there is no title field, and escapes values in the body', () => {
    const plan = bulkRecipients(
      [{ id: 'k1', email: 'e@x.test', name: '<b>Evil</b>' }],
      { to: ['email'], cc: [] },
      { subject: '{{name}}', body: '<p>Hi {{name}}</p>' },
      'id',
    );
    expect(plan.ready[0]).toMatchObject({
      title: 'k1',
      subject: '<b>Evil</b>',
      html: '<p>Hi &lt;b&gt;Evil&lt;/b&gt;</p>',
    });
  });
});
