/**
 * How a connection gets its TLS: `implicit` from the first byte (IMAPS 993, SMTPS 465; RFC 8314), or `starttls`
 * after the greeting (submission 587), which is then required: a token never travels in clear.
 */
export type TlsMode = 'implicit' | 'starttls';
