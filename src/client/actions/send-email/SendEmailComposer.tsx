import { useAPIClient } from '@nocobase/client';
import { message as toast } from 'antd';
import { createContext, useCallback, useContext, useEffect, useState, type Context, type ReactNode } from 'react';
import { MailAccountStatus } from '../../../shared/constants';
import { ComposeMode } from '../../../shared/mail-sending';
import type { MailAccountView } from '../../../shared/types';
import { accountsApi } from '../../api/accounts-api';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import { ComposeDrawer } from '../../mailbox/compose/ComposeDrawer';
import type { ComposeRequest } from '../../mailbox/compose/compose-request';
import type { SendEmailTarget } from './action-settings';

type Open = (target: SendEmailTarget) => void;

let openContext: Context<Open> | undefined;
/** Made on first use, not when the bundle is read (the host provides React when the plugin loads). */
function OpenContext(): Context<Open> {
  openContext ??= createContext<Open>(() => undefined);
  return openContext;
}

/** Opens the composer for a record, from any "Send email" action on the page. */
export function useOpenSendEmail(): Open {
  return useContext(OpenContext());
}

let appOpener: Open | null = null;
/**
 * The same, outside React: a modern (v2) page's action runs its click as a flow step, where no hook can be called.
 * The app's one composer provider sets it while mounted.
 */
export function openSendEmail(target: SendEmailTarget): boolean {
  appOpener?.(target);
  return !!appOpener;
}

/** The user's default sending mailbox: the first connected one (as the mailbox page starts with). */
function defaultAccount(list: MailAccountView[]): MailAccountView | undefined {
  return list.find((a) => a.status === MailAccountStatus.connected) ?? list[0];
}

/**
 * One composer for every "Send email" action of the app (wrapped around it with `app.use`), so a table of a
 * hundred rows holds one drawer, not a hundred.
 */
export function SendEmailComposerProvider({ children }: { children?: ReactNode }) {
  const api = useAPIClient();
  const { t } = usePluginTranslation();
  const errorText = useErrorText();
  const [accounts, setAccounts] = useState<MailAccountView[]>([]);
  const [request, setRequest] = useState<ComposeRequest | null>(null);

  const open = useCallback<Open>(
    (target) => {
      accountsApi
        .list(api)
        .then((list) => {
          const account = defaultAccount(list);
          if (!account) {
            toast.warning(t('Connect a mailbox first: open Email in the top bar.'));
            return;
          }
          setAccounts(list);
          setRequest({
            mode: ComposeMode.new,
            accountId: account.id,
            prefill: { to: target.to, cc: target.cc, subject: target.subject, html: target.html },
            record: { collection: target.collection, recordKey: target.recordKey },
          });
        })
        .catch((err) => toast.error(errorText(err)));
    },
    [api, t, errorText],
  );

  useEffect(() => {
    appOpener = open;
    return () => {
      if (appOpener === open) appOpener = null;
    };
  }, [open]);

  const { Provider } = OpenContext();
  return (
    <Provider value={open}>
      {children}
      <ComposeDrawer
        request={request}
        accounts={accounts}
        onClose={() => setRequest(null)}
        onSent={() => undefined}
        onDraftSaved={() => undefined}
      />
    </Provider>
  );
}
