import { parseAppOptions } from '../../scripts/app/options';

describe('npm run app options', () => {
  it('defaults to the dev instance on SQLite at port 13000', () => {
    expect(parseAppOptions([])).toEqual({
      instance: 'dev',
      port: 13000,
      db: { dialect: 'sqlite' },
      sandbox: false,
      start: true,
    });
  });

  it('fills PostgreSQL defaults and keeps what the user gave', () => {
    const options = parseAppOptions([
      '--db',
      'postgres',
      '--db-name',
      'crm',
      '--port',
      '14000',
      '--instance',
      'demo-1',
    ]);
    expect(options.port).toBe(14000);
    expect(options.db).toEqual({
      dialect: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database: 'crm',
      user: 'postgres',
      password: '',
    });
  });

  it('names the database after the instance by default', () => {
    expect(parseAppOptions(['--db', 'postgres', '--instance', 'demo-1']).db.database).toBe('mailbridge_demo_1');
  });

  it.each([
    [['--port', 'abc'], /--port must be a port number/],
    [['--db', 'mysql'], /--db must be sqlite or postgres/],
    [['--instance', '../x'], /--instance takes/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['--port'], /--port needs a value/],
  ])('refuses %j with a message saying what to fix', (argv, message) => {
    expect(() => parseAppOptions(argv as string[])).toThrow(message);
  });
});
