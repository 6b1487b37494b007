import type { BenchRow } from '../lib/result';
import { attachmentScenario } from './attachment';
import { hugeFolderScenario } from './huge-folder';
import { listScenario } from './list';
import { mailboxesScenario } from './mailboxes';
import { openScenario } from './open';
import { pushScenario } from './push';
import { searchScenario } from './search';
import { recordsScenario } from './records';
import { sendScenario } from './send';
import { syncScenario } from './sync';
import { textIndexScenario } from './text-index';
import { tokensScenario } from './tokens';
import { uploadScenario } from './upload';
import { workflowScenario } from './workflow';

export interface Scenario {
  /** What the scenario measures, for `npm run bench -- --list`. */
  title: string;
  /** `postgres` runs it on PostgreSQL (database `mailbridge_bench`); default SQLite in a file. */
  db?: 'sqlite' | 'postgres';
  run(): Promise<BenchRow[]>;
}

/** In the order they run and appear in the table. */
export const SCENARIOS: Record<string, Scenario> = {
  sync: {
    title: 'initial sync of 10,000 messages vs raw imapflow; no-change resync on both profiles',
    run: syncScenario,
  },
  'text-index': {
    title: 'background body text indexing of 10,000 messages vs raw imapflow fetching the same text parts',
    run: textIndexScenario,
  },
  'huge-folder': {
    title: 'no-change resync (Outlook profile, flags scan) of a 1,000,000-message Inbox vs raw imapflow',
    run: hugeFolderScenario,
  },
  push: { title: 'delivery → listed through the API, 20 messages', run: pushScenario },
  workflow: { title: 'delivery → "Mail received" workflow execution started, 20 messages', run: workflowScenario },
  'list-sqlite': { title: 'mailMessages:list and search in a 100,000-message folder on SQLite', run: listScenario },
  'list-postgres': { title: 'the same on PostgreSQL', db: 'postgres', run: listScenario },
  'search-sqlite': {
    title:
      'full-text search (rare, common, address, phrase) vs the plain list, 100,000 messages with body text, SQLite',
    run: searchScenario,
  },
  'search-postgres': { title: 'the same on PostgreSQL', db: 'postgres', run: searchScenario },
  'records-sqlite': {
    title: "a record's mail (mailRecords:list) among 100,000 messages in 5 mailboxes vs mailMessages:list, SQLite",
    run: recordsScenario,
  },
  'records-postgres': { title: 'the same on PostgreSQL', db: 'postgres', run: recordsScenario },
  open: { title: 'opening a message: first open and cached, vs imapflow + mailparser', run: openScenario },
  attachment: { title: 'downloading a 50 MB attachment: throughput and peak RSS growth', run: attachmentScenario },
  send: { title: 'sending: plugin vs raw nodemailer to the same Postfix', run: sendScenario },
  upload: {
    title: '20 parallel uploads of 150 MB over the attachment limit: all refused, peak RSS growth',
    run: uploadScenario,
  },
  tokens: { title: '1,000 concurrent calls needing a token: token-endpoint calls', run: tokensScenario },
  mailboxes: {
    title:
      '1,000 mailboxes synced and IDLE on one node (PostgreSQL): RSS, fds, event loop idle and under 100 msg/s, push, start-up, shutdown',
    db: 'postgres',
    run: mailboxesScenario,
  },
};
