import { useAPIClient } from '@nocobase/client';
import { message as toast } from 'antd';
import { createContext, useCallback, useContext, useState, type Context, type ReactNode } from 'react';
import { MailAccountStatus } from '../../../shared/constants';
import type { MailAccountView } from '../../../shared/types';
import { accountsApi } from '../../api/accounts-api';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import { BulkSendDialog, type BulkSendTarget } from './BulkSendDialog';

type Open = (target: BulkSendTarget) => void;

let openContext: Context<Open> | undefined;
/** Made on first use, not when the bundle is read (the host provides React when the plugin loads). */
function OpenContext(): Context<Open> {
  openContext ??= createContext<Open>(() => undefined);
  return openContext;
}

/** Opens the bulk send dialog for a table's selection. */
export function useOpenBulkSend(): Open {
  return useContext(OpenContext());
}

/** One bulk send dialog for the whole app (wrapped around it with `app.use`), the connected mailboxes first. */
export function BulkSendProvider({ children }: { children?: ReactNode }) {
  const api = useAPIClient();
  const { t } = usePluginTranslation();
  const errorText = useErrorText();
  const [open, setOpen] = useState<{ target: BulkSendTarget; accounts: MailAccountView[] } | null>(null);

  const start = useCallback<Open>(
    (target) => {
      accountsApi
        .list(api)
        .then((list) => {
          const accounts = [
            ...list.filter((a) => a.status === MailAccountStatus.connected),
            ...list.filter((a) => a.status !== MailAccountStatus.connected),
          ];
          if (!accounts.length) {
            toast.warning(t('Connect a mailbox first: open Email in the top bar.'));
            return;
          }
          setOpen({ target, accounts });
        })
        .catch((err) => toast.error(errorText(err)));
    },
    [api, t, errorText],
  );

  const { Provider } = OpenContext();
  return (
    <Provider value={start}>
      {children}
      {open && <BulkSendDialog target={open.target} accounts={open.accounts} onClose={() => setOpen(null)} />}
    </Provider>
  );
}
