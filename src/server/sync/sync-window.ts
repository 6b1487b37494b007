import { windowStartFor } from './sync-decision';
import type { SyncStateStore } from '../store/sync-state-store';

/**
 * Where an account's sync window starts: the configured number of days back, or earlier when the user already
 * asked for older mail ("load older") and that mail is stored.
 */
export function syncWindowStart(deps: { syncWindowDays(): Promise<number>; states: SyncStateStore }) {
  return async (accountId: number): Promise<Date> => {
    const configured = windowStartFor(new Date(), await deps.syncWindowDays());
    const stored = (await deps.states.get(accountId))?.get('windowStart') as Date | string | null | undefined;
    const covered = stored ? new Date(stored) : null;
    return covered && covered < configured ? covered : configured;
  };
}
