import { addressesFrom, addressFields, bodyHtml, fillTemplate, readSettings, type FieldMeta } from '../action-settings';

const fields: FieldMeta[] = [
  { name: 'id', interface: 'id' },
  { name: 'name', interface: 'input' },
  { name: 'email', interface: 'email' },
  { name: 'backupEmail', interface: 'email' },
  { name: 'owner', interface: 'm2o' },
];

describe('readSettings', () => {
  it('defaults To to the first email field', () => {
    expect(readSettings(undefined, fields)).toEqual({ to: ['email'], cc: [], subject: '', body: '' });
  });
  it('keeps what the admin chose, dropping what is not a field name', () => {
    expect(readSettings({ to: ['backupEmail', 3], cc: ['email'], subject: 'Hi', body: 'x' }, fields)).toEqual({
      to: ['backupEmail'],
      cc: ['email'],
      subject: 'Hi',
      body: 'x',
    });
  });
  it('has no To without an email field or a choice', () => {
    expect(readSettings({}, [{ name: 'name', interface: 'input' }]).to).toEqual([]);
  });
});

describe('addressFields', () => {
  it('offers text-like fields only', () => {
    expect(addressFields(fields).map((f) => f.name)).toEqual(['name', 'email', 'backupEmail']);
  });
});

describe('addressesFrom', () => {
  it.each([
    [{ email: 'a@x.org' }, ['email'], ['a@x.org']],
    [{ email: 'a@x.org, b@y.org; c@z.org' }, ['email'], ['a@x.org', 'b@y.org', 'c@z.org']],
    [{ email: ['a@x.org', 'A@X.org'] }, ['email'], ['A@X.org']],
    [{ email: null, other: 'o@x.org' }, ['email', 'other'], ['o@x.org']],
    [{ email: { address: 'a@x.org' } }, ['email'], []],
  ])('%j %j → %j', (record, names, expected) => {
    expect(addressesFrom(record, names)).toEqual(expected);
  });
});

describe('fillTemplate and bodyHtml', () => {
  const record = { name: 'ACME <Ltd>', tags: ['a', 'b'], n: 3, owner: { id: 1 } };
  it('fills fields, leaves unknown and object fields empty', () => {
    expect(fillTemplate('Hi {{name}} {{ n }} {{tags}}{{missing}}{{owner}}', record, 'text')).toBe(
      'Hi ACME <Ltd> 3 a, b',
    );
  });
  it('escapes values in HTML', () => {
    expect(fillTemplate('<p>{{name}}</p>', record, 'html')).toBe('<p>ACME &lt;Ltd&gt;</p>');
  });
  it('turns plain text into paragraphs, escaped', () => {
    expect(bodyHtml('Dear {{name}},\nthanks.\n\nBye', record)).toBe(
      '<p>Dear ACME &lt;Ltd&gt;,<br>thanks.</p><p>Bye</p>',
    );
    expect(bodyHtml('  ', record)).toBe('');
  });
});
