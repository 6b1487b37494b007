/**
 * The identity stand-in as the plugin's tests use it: the mail stack's client (started by jest's global setup),
 * plus the settings values that point the plugin at it.
 */
import { getStack } from '../mail-stack/client';

export {
  failNextTokenRequest,
  newMailboxAddress,
  registerApp,
  revokeUser,
  setIdentityDown,
  signIn,
  signInReturn,
  tokenEndpointCalls,
} from '../mail-stack/client';
export type { AppRegistration, SignInReturn } from '../mail-stack/client';

/** Where the stand-in listens: the sign-in host (for the custom cloud setting). */
export function standInAddress() {
  return { authorityHost: getStack().authorityHost };
}
