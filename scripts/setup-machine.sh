#!/usr/bin/env bash
# Installs what the tests need from Debian on a fresh machine of this project's kind (root, Debian bookworm):
# Chromium for the browser tests and the local mail stack (Dovecot, Postfix). Quick when all is there already.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

bash test/mail-stack/install.sh

# The integration suite also runs on PostgreSQL, which this machine kind starts before a session; start it if not.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
