#!/usr/bin/env bash
# Installs the Debian packages behind the local mail stack: Dovecot (IMAP, LMTP, SASL
# for Postfix) and Postfix (SMTP submission). The stack runs private instances from
# its own config dirs, so the system-wide services are kept stopped.
# Idempotent: when everything is present it only checks dpkg and exits.
set -euo pipefail

PACKAGES=(dovecot-core dovecot-imapd dovecot-lmtpd postfix)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "mail-stack: ${PACKAGES[*]} already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

echo "mail-stack: installing ${missing[*]}"

# Without a preseed, postfix's postinst asks which mail setup to write; "No
# configuration" leaves /etc/postfix empty, which is all we want.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections

# Keep maintainer scripts from starting the system services on 25/143/993.
# Containers usually ship a policy-rc.d that already says so; otherwise add one
# for the duration of the install.
created_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

# Package lists are fetched only when apt has none yet (a fresh image); a CI
# runner with stale lists may set MAILSTACK_APT_UPDATE=1.
if [ -n "${MAILSTACK_APT_UPDATE:-}" ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  $SUDO apt-get update -qq
fi

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null

# On a host with systemd the units were enabled by the packages: the stack never
# uses them, and a running system Dovecot/Postfix would only hold the standard ports.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now dovecot.service postfix.service >/dev/null 2>&1 || true
fi

echo "mail-stack: installed ${missing[*]}"
