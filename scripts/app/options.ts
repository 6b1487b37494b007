/** Command-line options of `npm run app`; every flag has a default so a bare `npm run app` just works. */
export interface DatabaseOptions {
  dialect: 'sqlite' | 'postgres';
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
}

export interface AppOptions {
  /** Several instances can live side by side in one app folder (the browser test uses its own). */
  instance: string;
  port: number;
  db: DatabaseOptions;
  sandbox: boolean;
  /** Prepare, build, install and enable, but do not start the server. */
  start: boolean;
}

const USAGE = `usage: npm run app -- [--port 13000] [--instance dev] [--sandbox] [--no-start]
                      [--db sqlite|postgres] [--db-host 127.0.0.1] [--db-port 5432]
                      [--db-name mailbridge_app] [--db-user postgres] [--db-password '']`;

export function parseAppOptions(argv: string[]): AppOptions {
  const options: AppOptions = { instance: 'dev', port: 13000, db: { dialect: 'sqlite' }, sandbox: false, start: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    switch (flag) {
      case '--port':
        options.port = Number(value());
        break;
      case '--instance':
        options.instance = value();
        break;
      case '--sandbox':
        options.sandbox = true;
        break;
      case '--no-start':
        options.start = false;
        break;
      case '--db':
        options.db.dialect = value() as DatabaseOptions['dialect'];
        break;
      case '--db-host':
        options.db.host = value();
        break;
      case '--db-port':
        options.db.port = Number(value());
        break;
      case '--db-name':
        options.db.database = value();
        break;
      case '--db-user':
        options.db.user = value();
        break;
      case '--db-password':
        options.db.password = value();
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port <= 0) throw new Error(`--port must be a port number\n${USAGE}`);
  if (!['sqlite', 'postgres'].includes(options.db.dialect))
    throw new Error(`--db must be sqlite or postgres\n${USAGE}`);
  if (!/^[a-z0-9-]+$/.test(options.instance)) throw new Error('--instance takes lowercase letters, digits and dashes');
  if (options.db.dialect === 'postgres') {
    options.db = {
      host: '127.0.0.1',
      port: 5432,
      database: `mailbridge_${options.instance.replace(/-/g, '_')}`,
      user: 'postgres',
      password: '',
      ...options.db,
    };
  }
  return options;
}
