#!/usr/bin/env bash
# Installs the system libraries Steward builds against, only where they are missing.
# GRDB uses the system SQLite; swift-crypto and AsyncHTTPClient want OpenSSL headers; tzdata gives
# the IANA time-zone database that every calendar computation relies on.
set -euo pipefail

needed=(libsqlite3-dev libssl-dev libcurl4-openssl-dev tzdata)
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

command -v swift >/dev/null || { echo "setup: Swift 6 is required (https://www.swift.org/install/)" >&2; exit 1; }
echo "setup: ok"
