import { useAPIClient } from '@nocobase/client';
import {
  Alert,
  Button,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Progress,
  Select,
  Space,
  Skeleton,
  message as toast,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { MailAccountView } from '../../../shared/types';
import type { ComposeInput, ComposeTemplate, OutboxItemView } from '../../../shared/mail-sending-types';
import { ComposeMode, OutboxState } from '../../../shared/mail-sending';
import { composeApi } from '../../api/compose-api';
import { announceMailChange } from '../../hooks/mail-changes';
import { useErrorText } from '../../hooks/useErrorText';
import { usePluginTranslation } from '../../locale';
import { addressFull } from '../format';
import { parseRecipient } from './addresses';
import { AttachmentPicker } from './AttachmentPicker';
import type { ComposeRequest } from './compose-request';
import { QuotePreview } from './QuotePreview';
import { RecipientInput } from './RecipientInput';
import { RichTextEditor } from './RichTextEditor';
import { SendFailure } from './SendFailure';

interface Props {
  request: ComposeRequest | null;
  accounts: MailAccountView[];
  limitMb?: number;
  onClose(): void;
  onSent(): void;
  /** A draft was saved: the Outbox pane lists it. */
  onDraftSaved(): void;
}

interface Fields {
  accountId: number | string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
}

/** New message, reply, reply all and forward, in a drawer: send, save as draft or discard. */
export function ComposeDrawer({ request, accounts, limitMb, onClose, onSent, onDraftSaved }: Props) {
  const { t } = usePluginTranslation();
  const api = useAPIClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Fields>();
  const html = useRef('');
  const [files, setFiles] = useState<File[]>([]);
  const [template, setTemplate] = useState<ComposeTemplate | null>(null);
  const [includeQuote, setIncludeQuote] = useState(true);
  const [showCc, setShowCc] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'send' | 'draft' | 'retry' | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [failed, setFailed] = useState<OutboxItemView | null>(null);
  const [draftId, setDraftId] = useState<number | string | undefined>();
  const [touched, setTouched] = useState(false);

  const mode = request?.mode ?? ComposeMode.new;
  const draft = request?.draft;
  const title = draft
    ? t('Draft')
    : { new: t('New message'), reply: t('Reply'), replyAll: t('Reply all'), forward: t('Forward') }[mode];

  useEffect(() => {
    if (!request) return;
    html.current = '';
    setFiles([]);
    setTemplate(null);
    setIncludeQuote(true);
    setLoadError(null);
    setError(null);
    setFailed(null);
    setDraftId(undefined);
    setTouched(false);
    setProgress(null);
    form.resetFields();
    const prefill = request.prefill;
    html.current = prefill?.html ?? '';
    form.setFieldsValue({
      accountId: request.accountId,
      to: prefill?.to ?? [],
      cc: prefill?.cc ?? [],
      bcc: [],
      subject: prefill?.subject ?? '',
    });
    setShowCc(!!prefill?.cc.length);
    if (request.draft) {
      // Going on with a saved draft: saving or sending updates that draft (its stored attachments and quote stay).
      const d = request.draft;
      html.current = d.html;
      setDraftId(d.id);
      form.setFieldsValue({
        accountId: d.accountId,
        to: d.to.map(addressFull),
        cc: d.cc.map(addressFull),
        bcc: d.bcc.map(addressFull),
        subject: d.subject,
      });
      setShowCc(d.cc.length + d.bcc.length > 0);
      return;
    }
    if (request.mode !== ComposeMode.new && request.source) {
      let cancelled = false;
      composeApi
        .prepare(api, request.source.id, request.mode)
        .then((tpl) => {
          if (cancelled) return;
          setTemplate(tpl);
          form.setFieldsValue({
            accountId: tpl.accountId,
            to: tpl.to.map(addressFull),
            cc: tpl.cc.map(addressFull),
            subject: tpl.subject,
          });
          if (tpl.cc.length) setShowCc(true);
        })
        .catch((err) => !cancelled && setLoadError(errorText(err)));
      return () => {
        cancelled = true;
      };
    }
  }, [request, api, form, errorText]);

  const values = (): ComposeInput => {
    const f = form.getFieldsValue(true) as Fields;
    return {
      accountId: f.accountId,
      mode,
      sourceMessageId: request?.source?.id,
      to: f.to ?? [],
      cc: f.cc ?? [],
      bcc: f.bcc ?? [],
      subject: f.subject ?? '',
      html: html.current,
      includeQuote,
      draftId,
      record: request?.record,
    };
  };

  const invalidRecipients = (): string[] => {
    const f = form.getFieldsValue(true) as Fields;
    return [...(f.to ?? []), ...(f.cc ?? []), ...(f.bcc ?? [])].filter((r) => !parseRecipient(r).valid);
  };

  /** After a send or a retry: close on success (saying if the Sent copy failed), else show why it failed. */
  const settle = (view: OutboxItemView) => {
    if (view.state === OutboxState.sent) {
      toast.success(view.copyError ? t('Sent. {{reason}}', { reason: view.copyError }) : t('Message sent'));
      onSent();
      onClose();
    } else setFailed(view);
  };

  const submit = async (kind: 'send' | 'draft') => {
    setError(null);
    const f = form.getFieldsValue(true) as Fields;
    if (kind === 'send') {
      const bad = invalidRecipients();
      if (bad.length) return setError(t('Fix the addresses marked in red: {{list}}', { list: bad.join(', ') }));
      if (![...(f.to ?? []), ...(f.cc ?? []), ...(f.bcc ?? [])].length)
        return setError(t('Add at least one recipient.'));
    }
    setBusy(kind);
    setProgress(files.length ? 0 : null);
    try {
      const view =
        kind === 'send'
          ? await composeApi.send(api, values(), files, setProgress)
          : await composeApi.saveDraft(api, values(), files, setProgress);
      announceMailChange();
      if (kind === 'draft') {
        setDraftId(view.id);
        setFiles([]);
        setTouched(false);
        toast.success(t('Draft saved'));
        onDraftSaved();
        return;
      }
      settle(view);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };

  const retry = async () => {
    if (!failed) return;
    setBusy('retry');
    try {
      const view = await composeApi.retry(api, failed.id);
      announceMailChange();
      settle(view);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const loading = !!request && !request.draft && request.mode !== ComposeMode.new && !template && !loadError;

  return (
    <Drawer
      open={!!request}
      title={title}
      width={720}
      destroyOnClose
      maskClosable={false}
      onClose={onClose}
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space>
            <Button
              type="primary"
              onClick={() => submit('send')}
              loading={busy === 'send'}
              disabled={loading || !!failed}
            >
              {t('Send')}
            </Button>
            <Button onClick={() => submit('draft')} loading={busy === 'draft'} disabled={loading || !!failed}>
              {t('Save draft')}
            </Button>
          </Space>
          {touched ? (
            <Popconfirm
              title={t('Discard this message?')}
              okText={t('Discard')}
              cancelText={t('Keep editing')}
              onConfirm={onClose}
            >
              <Button danger>{t('Discard')}</Button>
            </Popconfirm>
          ) : (
            <Button onClick={onClose}>{t('Discard')}</Button>
          )}
        </Space>
      }
    >
      {loadError && (
        <Alert
          type="error"
          showIcon
          message={t('The message to reply to could not be loaded')}
          description={loadError}
          style={{ marginBottom: 12 }}
        />
      )}
      {loading ? (
        <Skeleton active />
      ) : (
        <Form
          form={form}
          layout="horizontal"
          labelCol={{ flex: '72px' }}
          labelAlign="left"
          colon={false}
          onValuesChange={() => {
            setTouched(true);
            setError(null);
          }}
        >
          {accounts.length > 1 && (
            <Form.Item label={t('From')} name="accountId">
              <Select options={accounts.map((a) => ({ value: a.id, label: a.address }))} />
            </Form.Item>
          )}
          <Form.Item label={t('To')} style={{ marginBottom: 8 }}>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="to" noStyle>
                <RecipientInput
                  aria-label={t('To')}
                  autoFocus={mode === ComposeMode.new || mode === ComposeMode.forward}
                />
              </Form.Item>
              {!showCc && <Button onClick={() => setShowCc(true)}>{t('Cc/Bcc')}</Button>}
            </Space.Compact>
          </Form.Item>
          {showCc && (
            <>
              <Form.Item label={t('Cc')} name="cc" style={{ marginBottom: 8 }}>
                <RecipientInput aria-label={t('Cc')} />
              </Form.Item>
              <Form.Item label={t('Bcc')} name="bcc" style={{ marginBottom: 8 }}>
                <RecipientInput aria-label={t('Bcc')} />
              </Form.Item>
            </>
          )}
          <Form.Item label={t('Subject')} name="subject" style={{ marginBottom: 12 }}>
            <Input aria-label={t('Subject')} />
          </Form.Item>
          <RichTextEditor
            initialHtml={draft?.html ?? request?.prefill?.html ?? ''}
            onChange={(value) => {
              html.current = value;
              setTouched(true);
            }}
          />
          <div style={{ marginTop: 12 }}>
            <AttachmentPicker
              files={files}
              limitMb={limitMb}
              onChange={(next) => {
                setFiles(next);
                setTouched(true);
              }}
            />
            {draft && draft.attachments.length > 0 && (
              <div style={{ fontSize: 12, color: '#8c8c8c', marginTop: 4 }} data-testid="draft-attachments">
                {t('Attached: {{names}}', { names: draft.attachments.map((a) => a.filename).join(', ') })}
              </div>
            )}
            {template && template.forwardAttachments.length > 0 && (
              <div style={{ fontSize: 12, color: '#8c8c8c', marginTop: 4 }}>
                {t('Forwarded with the original attachments: {{names}}', {
                  names: template.forwardAttachments.map((a) => a.filename ?? t('Unnamed attachment')).join(', '),
                })}
              </div>
            )}
          </div>
          {template?.quoteHtml && (
            <div style={{ marginTop: 12 }}>
              <QuotePreview
                html={template.quoteHtml}
                include={includeQuote}
                onInclude={setIncludeQuote}
                forward={mode === ComposeMode.forward}
              />
            </div>
          )}
        </Form>
      )}
      {progress !== null && (
        <Progress percent={Math.round(progress * 100)} size="small" status="active" aria-label={t('Uploading')} />
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} data-testid="compose-error" />}
      {failed && (
        <div style={{ marginTop: 12 }}>
          <SendFailure item={failed} retrying={busy === 'retry'} onRetry={retry} />
        </div>
      )}
    </Drawer>
  );
}
