import { SHARING_LEVELS, SharingLevel } from '../../shared/sharing';
import { invalidInput } from '../errors/mail-error';
import { isSharingLevel } from '../sharing/effective-level';
import type { MailSettingsRecord } from './settings-types';

const LEVEL_RANK = (level: SharingLevel) => SHARING_LEVELS.indexOf(level);

function boundInput(value: unknown, label: string): SharingLevel | null {
  if (value === null || value === '') return null;
  if (!isSharingLevel(value)) throw invalidInput(`${label} must be one of: ${SHARING_LEVELS.join(', ')}, or empty.`);
  return value;
}

/** The sharing policy columns a settings save changes, validated together: the minimum may not exceed the maximum. */
export function sharingPolicyChanges(
  input: Record<string, unknown>,
  current: MailSettingsRecord,
): Partial<MailSettingsRecord> {
  const changes: Partial<MailSettingsRecord> = {};
  if (input.sharingMinLevel !== undefined)
    changes.sharingMinLevel = boundInput(input.sharingMinLevel, 'The minimum sharing level');
  if (input.sharingMaxLevel !== undefined)
    changes.sharingMaxLevel = boundInput(input.sharingMaxLevel, 'The maximum sharing level');
  if (input.allMailEnabled !== undefined) {
    if (typeof input.allMailEnabled !== 'boolean')
      throw invalidInput('The all-mail view switch must be true or false.');
    changes.allMailEnabled = input.allMailEnabled;
  }
  const min = changes.sharingMinLevel !== undefined ? changes.sharingMinLevel : current.sharingMinLevel;
  const max = changes.sharingMaxLevel !== undefined ? changes.sharingMaxLevel : current.sharingMaxLevel;
  if (min && max && LEVEL_RANK(min) > LEVEL_RANK(max))
    throw invalidInput(`The minimum sharing level (${min}) is above the maximum (${max}).`);
  return changes;
}
