#!/usr/bin/env bash
# Installs Debian's chromium for the browser test of the Dagster UI, only when it is missing.
# Idempotent: a second run prints that chromium is already there and changes nothing.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "chromium is missing and this is not root (and there is no sudo): install it with" >&2
        echo "  apt-get update && apt-get install -y --no-install-recommends chromium" >&2
        exit 1
    fi
fi

echo "chromium missing: installing Debian's chromium package (apt-get update && apt-get install)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
echo "installed: $("$CHROMIUM" --version)"
