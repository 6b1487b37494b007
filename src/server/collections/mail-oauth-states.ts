import { defineCollection } from '@nocobase/database';
import { OAUTH_STATES_COLLECTION } from '../store/collection-names';

/**
 * One pending sign-in. Only a hash of `state` is stored, so a database reader cannot complete someone's sign-in;
 * the PKCE verifier is encrypted for the same reason. Rows are single-use (`usedAt`) and short-lived.
 */
export default defineCollection({
  name: OAUTH_STATES_COLLECTION,
  dataCategory: 'runtime',
  createdAt: true,
  updatedAt: false,
  fields: [
    { name: 'stateHash', type: 'string', allowNull: false, unique: true },
    { name: 'userId', type: 'bigInt', allowNull: false },
    { name: 'provider', type: 'string', allowNull: false },
    // Hash of the per-browser binding cookie: the sign-in must finish in the browser that started it.
    { name: 'browserHash', type: 'string', allowNull: false },
    { name: 'codeVerifier', type: 'text', allowNull: false, hidden: true },
    { name: 'nonce', type: 'string', allowNull: false, hidden: true },
    { name: 'redirectUri', type: 'string', allowNull: false },
    { name: 'expiresAt', type: 'date', allowNull: false },
    { name: 'usedAt', type: 'date' },
  ],
});
