import { MailOutlined } from '@ant-design/icons';
import { useAPIClient } from '@nocobase/client';
import { useRequest } from 'ahooks';
import { Alert, Button, Result, Skeleton } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { MailErrorCode } from '../../shared/error-codes';
import type { OAuthResultMessage } from '../../shared/types';
import { accountsApi } from '../api/accounts-api';
import { settingsApi } from '../api/settings-api';
import { announceMailChange } from '../hooks/mail-changes';
import { useCanManageSettings } from '../hooks/useCanManageSettings';
import { useConnectMailbox } from '../hooks/useConnectMailbox';
import { useErrorText } from '../hooks/useErrorText';
import { useMailAccounts } from '../hooks/useMailAccounts';
import { useSyncStatus } from '../hooks/useSyncStatus';
import { usePluginTranslation } from '../locale';
import { mailProviders } from '../providers/registry';
import { AccountBar } from './AccountBar';
import { AccountNotices } from './AccountNotices';
import { ComposeDrawer } from './compose/ComposeDrawer';
import type { ComposeRequest } from './compose/compose-request';
import { MailboxView } from './MailboxView';

const SETTINGS_PATH = '/admin/settings/email-manager';
/** New mail shows up within this long while the page is visible. */
const POLL_MS = 4000;

type Notice = { type: 'success' | 'error'; text: string } | null;

/** The mailbox page: accounts and connecting, then the mailbox of the chosen account. */
export function MailboxPage() {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const location = useLocation();
  const navigate = useNavigate();
  const canManage = useCanManageSettings();
  const accounts = useMailAccounts();
  const sync = useSyncStatus(POLL_MS);
  const settings = useRequest(() => settingsApi.get(api), { ready: canManage });
  const [accountId, setAccountId] = useState<number | string>();
  const [notice, setNotice] = useState<Notice>(null);
  const [compose, setCompose] = useState<ComposeRequest | null>(null);
  const [refreshToken, setRefreshToken] = useState(0);
  const [syncing, setSyncing] = useState(false);

  const onResult = useCallback(
    (result: OAuthResultMessage) => {
      if (result.ok) {
        setNotice({ type: 'success', text: t('Mailbox connected. Your mail is on its way.') });
        if (result.accountId !== undefined) setAccountId(result.accountId);
      } else setNotice({ type: 'error', text: result.error ?? t('The mailbox was not connected.') });
      accounts.refresh();
      sync.refresh();
    },
    [accounts, sync, t],
  );
  const connect = useConnectMailbox(onResult);

  // Back from a full-page sign-in (no popup): the callback put the outcome in the address.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const outcome = params.get('connect');
    if (!outcome) return;
    onResult({
      type: 'mailbridge:oauth-result',
      ok: outcome === 'ok',
      accountId: params.get('accountId') ?? undefined,
      error: params.get('reason') ?? undefined,
    });
    navigate(location.pathname, { replace: true });
  }, [location.search, location.pathname, navigate, onResult]);

  // Good news fades; errors stay until dismissed.
  useEffect(() => {
    if (notice?.type !== 'success') return;
    const timer = window.setTimeout(() => setNotice(null), 10_000);
    return () => window.clearTimeout(timer);
  }, [notice]);

  const list = accounts.data;
  useEffect(() => {
    if (list?.length && !list.some((a) => String(a.id) === String(accountId))) setAccountId(list[0].id);
  }, [list, accountId]);

  // An account's status (reconnect needed, error) changes with its sync stage; follow it.
  const stages = sync.statuses.map((s) => `${s.accountId}:${s.stage}`).join(',');
  const refreshAccounts = accounts.refresh;
  useEffect(() => {
    if (stages) refreshAccounts();
  }, [stages, refreshAccounts]);
  // The top-bar badge follows new mail seen here at once.
  useEffect(() => {
    if (sync.changeKey) announceMailChange();
  }, [sync.changeKey]);

  const account = list?.find((a) => String(a.id) === String(accountId));
  // The settings' provider where the user may read them, else the account's, else the first registered.
  const { connectLabel, wording } = mailProviders.get(settings.data?.provider ?? account?.provider);
  const status = sync.statuses.find((s) => String(s.accountId) === String(accountId));
  const notConfigured =
    (canManage && settings.data && !settings.data.configured) || connect.error?.code === MailErrorCode.NOT_CONFIGURED;

  const banners = (
    <>
      {notice && (
        <Alert
          banner
          closable
          type={notice.type}
          message={notice.text}
          onClose={() => setNotice(null)}
          data-testid="connect-notice"
        />
      )}
      {connect.error && !notConfigured && (
        <Alert
          banner
          closable
          type="error"
          message={t(wording.signInFailed)}
          description={connect.error.message}
          onClose={connect.clearError}
        />
      )}
    </>
  );

  let body: React.ReactNode;
  if (accounts.error && !list) {
    body = (
      <Result
        status="error"
        title={t('Your mailboxes could not be loaded')}
        subTitle={errorText(accounts.error)}
        extra={<Button onClick={accounts.refresh}>{t('Try again')}</Button>}
      />
    );
  } else if (!list) {
    body = <Skeleton active style={{ padding: 24 }} />;
  } else if (notConfigured && !list.length) {
    body = canManage ? (
      <Result
        icon={<MailOutlined />}
        title={t('Email is not set up yet')}
        subTitle={t(wording.notConfiguredHint)}
        extra={
          <Button type="primary" onClick={() => navigate(SETTINGS_PATH)}>
            {t('Open email settings')}
          </Button>
        }
      />
    ) : (
      <Result
        icon={<MailOutlined />}
        title={t('Email is not set up yet')}
        subTitle={t(
          'Ask your administrator to set up email (Settings → Email manager). You can connect your mailbox afterwards.',
        )}
      />
    );
  } else if (!list.length) {
    body = (
      <Result
        icon={<MailOutlined />}
        title={t(wording.connectTitle)}
        subTitle={t(wording.connectDescription)}
        extra={
          <Button type="primary" size="large" onClick={connect.connect} loading={connect.connecting}>
            {t(connectLabel)}
          </Button>
        }
      />
    );
  } else if (account) {
    body = (
      <>
        <AccountBar
          accounts={list}
          statuses={sync.statuses}
          accountId={accountId}
          onAccount={setAccountId}
          onConnect={connect.connect}
          connecting={connect.connecting}
          syncing={syncing}
          onSync={async () => {
            setSyncing(true);
            try {
              await accountsApi.sync(api, account.id);
              sync.refresh();
            } catch (err) {
              setNotice({ type: 'error', text: errorText(err) });
            } finally {
              setSyncing(false);
            }
          }}
          onDisconnect={async (a, options) => {
            try {
              await accountsApi.disconnect(api, a.id, options);
              setNotice({ type: 'success', text: t('{{address}} was disconnected.', { address: a.address }) });
              setAccountId(undefined);
              accounts.refresh();
              announceMailChange();
            } catch (err) {
              setNotice({ type: 'error', text: errorText(err) });
            }
          }}
        />
        <AccountNotices
          account={account}
          status={status}
          onReconnect={connect.connect}
          connecting={connect.connecting}
        />
        <MailboxView
          key={String(account.id)}
          account={account}
          changeKey={sync.changeKey}
          onCompose={setCompose}
          refreshToken={refreshToken}
        />
      </>
    );
  }

  return (
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        height: 'calc(100vh - var(--nb-header-height, 46px))',
        background: '#fff',
      }}
      data-testid="mailbox-page"
    >
      {banners}
      {notConfigured && list && list.length > 0 && (
        <Alert
          banner
          type="warning"
          message={
            canManage
              ? t('Email settings are incomplete: open Settings → Email manager.')
              : t('Email settings are incomplete. Ask your administrator.')
          }
        />
      )}
      {body}
      <ComposeDrawer
        request={compose}
        accounts={list ?? []}
        limitMb={settings.data?.maxAttachmentMb}
        onClose={() => setCompose(null)}
        onSent={() => setRefreshToken((n) => n + 1)}
        onDraftSaved={() => setRefreshToken((n) => n + 1)}
      />
    </div>
  );
}
