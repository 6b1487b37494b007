import { useAPIClient } from '@nocobase/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { OAUTH_RESULT_MESSAGE_TYPE } from '../../shared/constants';
import type { OAuthResultMessage } from '../../shared/types';
import { accountsApi } from '../api/accounts-api';
import { apiProblem } from '../api/errors';
import { useErrorText } from './useErrorText';

const POPUP_NAME = 'mailbridge-connect';
const POPUP_FEATURES = 'popup=yes,width=520,height=720';

function isResult(data: unknown): data is OAuthResultMessage {
  return !!data && typeof data === 'object' && (data as { type?: unknown }).type === OAUTH_RESULT_MESSAGE_TYPE;
}

/**
 * "Connect": the provider's sign-in in a popup that reports back through `postMessage`; when the browser
 * blocks the popup, the whole page goes to the sign-in and the callback brings it back to the mailbox page.
 */
export function useConnectMailbox(onResult: (result: OAuthResultMessage) => void) {
  const api = useAPIClient();
  const errorText = useErrorText();
  const [connecting, setConnecting] = useState(false);
  const [error, setError] = useState<{ message: string; code?: string } | null>(null);
  const popupRef = useRef<Window | null>(null);
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;

  useEffect(() => {
    const listener = (event: MessageEvent) => {
      // Only the callback page, served by this app, may report a result.
      if (event.origin !== window.location.origin || !isResult(event.data)) return;
      popupRef.current = null;
      setConnecting(false);
      onResultRef.current(event.data);
    };
    window.addEventListener('message', listener);
    return () => window.removeEventListener('message', listener);
  }, []);

  // A popup closed by the user without finishing: stop waiting.
  useEffect(() => {
    if (!connecting) return;
    const timer = window.setInterval(() => {
      if (popupRef.current && popupRef.current.closed) {
        popupRef.current = null;
        setConnecting(false);
      }
    }, 700);
    return () => window.clearInterval(timer);
  }, [connecting]);

  const connect = useCallback(async () => {
    setError(null);
    // Opened during the click, before the request, or the browser counts it as unrequested and blocks it.
    const popup = window.open('', POPUP_NAME, POPUP_FEATURES);
    popupRef.current = popup;
    setConnecting(true);
    try {
      const { authorizeUrl } = await accountsApi.connect(api);
      if (popup && !popup.closed) popup.location.href = authorizeUrl;
      else window.location.assign(authorizeUrl);
    } catch (err) {
      popup?.close();
      popupRef.current = null;
      setConnecting(false);
      setError({ message: errorText(err), code: apiProblem(err)?.code });
    }
  }, [api, errorText]);

  return { connect, connecting, error, clearError: () => setError(null) };
}
