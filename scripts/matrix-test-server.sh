#!/usr/bin/env bash
# A real Synapse homeserver for the Matrix tests, on a free loopback port.
#   scripts/matrix-test-server.sh start   installs it into .venv-matrix (once), starts it, waits for /health;
#                                         installs Pantalaimon into .venv-pantalaimon (once) for the encrypted-DM
#                                         round trip, whose test starts its own Pantalaimon in front of this Synapse
#   scripts/matrix-test-server.sh stop    stops it
# The tests read the URL and the registration secret from .build-matrix/synapse.env; a run with CI=true
# fails (never skips) when that file is missing or the server does not answer.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-matrix
DIR=.build-matrix
SYNAPSE_VERSION=1.163.2
NIO_VERSION=0.26.0
# Pantalaimon 0.10.5 runs on matrix-nio 0.20's libolm crypto (python-olm), so it gets its own venv. The
# encrypted test user's client (Tests/Support/matrix/encrypted_dm.py) stays in .venv-matrix: matrix-nio 0.26
# on vodozemac, another implementation, like the user's real client would be.
PAN_VENV=.venv-pantalaimon
PANTALAIMON_VERSION=0.10.5
OLM_VERSION=3.2.16

install() {
    # The client needs nio's e2e extra (vodozemac and its store): without it an encrypting client won't start.
    if ! { [ -x "$VENV/bin/python" ] \
           && "$VENV/bin/python" -c "import synapse, nio.crypto as c; assert c.ENCRYPTION_ENABLED" 2>/dev/null; }; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q "matrix-synapse==$SYNAPSE_VERSION" "matrix-nio[e2e]==$NIO_VERSION"
    fi
    install_pantalaimon
}

# python-olm ships manylinux wheels (libolm inside) for the common CPython versions; elsewhere pip builds it
# from source, which needs libolm's headers, cmake and a compiler: installed the way scripts/setup.sh does.
install_pantalaimon() {
    if [ -x "$PAN_VENV/bin/pantalaimon" ] && "$PAN_VENV/bin/python" -c "import olm, pantalaimon, nio.crypto as c; assert c.ENCRYPTION_ENABLED" 2>/dev/null; then
        return
    fi
    python3 -m venv "$PAN_VENV"
    if ! "$PAN_VENV/bin/pip" install -q "python-olm==$OLM_VERSION"; then
        local sudo_cmd=""
        [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
        echo "matrix-test-server: no python-olm wheel here; installing libolm-dev, cmake and a compiler to build it"
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libolm-dev cmake build-essential python3-dev
        "$PAN_VENV/bin/pip" install -q "python-olm==$OLM_VERSION"
    fi
    "$PAN_VENV/bin/pip" install -q "pantalaimon==$PANTALAIMON_VERSION"
    "$PAN_VENV/bin/python" -c "import nio.crypto as c; assert c.ENCRYPTION_ENABLED, 'matrix-nio without E2EE'"
}

stop() {
    if [ -f "$DIR/homeserver.pid" ]; then
        local pid
        pid=$(cat "$DIR/homeserver.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$DIR/homeserver.pid"
    fi
    rm -f "$DIR/synapse.env"
}

start() {
    install
    stop
    rm -rf "$DIR"
    mkdir -p "$DIR/media"
    local port secret here
    here=$(pwd)
    port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    # Lifted limits for registration, logins, joins and invites keep the tests fast; message sending keeps
    # a small limit, so a burst from Steward really meets M_LIMIT_EXCEEDED (test users are exempted through
    # the admin API's override_ratelimit).
    cat > "$DIR/homeserver.yaml" <<EOF
server_name: localhost
pid_file: $here/$DIR/homeserver.pid
public_baseurl: http://127.0.0.1:$port/
listeners:
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: $here/$DIR/homeserver.db
log_config: $here/$DIR/log.yaml
media_store_path: $here/$DIR/media
signing_key_path: $here/$DIR/signing.key
registration_shared_secret: "$secret"
macaroon_secret_key: "$secret-macaroon"
form_secret: "$secret-form"
report_stats: false
enable_metrics: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
presence:
  enabled: false
url_preview_enabled: false
encryption_enabled_by_default_for_room_type: "off"
rc_message:
  per_second: 2
  burst_count: 5
rc_registration: {per_second: 1000, burst_count: 1000}
rc_login:
  address: {per_second: 1000, burst_count: 1000}
  account: {per_second: 1000, burst_count: 1000}
  failed_attempts: {per_second: 1000, burst_count: 1000}
rc_joins:
  local: {per_second: 1000, burst_count: 1000}
  remote: {per_second: 1000, burst_count: 1000}
rc_joins_per_room: {per_second: 1000, burst_count: 1000}
rc_invites:
  per_room: {per_second: 1000, burst_count: 1000}
  per_user: {per_second: 1000, burst_count: 1000}
  per_issuer: {per_second: 1000, burst_count: 1000}
rc_3pid_validation: {per_second: 1000, burst_count: 1000}
rc_admin_redaction: {per_second: 1000, burst_count: 1000}
EOF
    cat > "$DIR/log.yaml" <<EOF
version: 1
formatters:
  precise: {format: '%(asctime)s %(levelname)s %(name)s %(message)s'}
handlers:
  file: {class: logging.FileHandler, formatter: precise, filename: $here/$DIR/homeserver.log}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
EOF
    "$VENV/bin/python" -m synapse.app.homeserver -c "$DIR/homeserver.yaml" --generate-keys >/dev/null
    "$VENV/bin/python" -m synapse.app.homeserver -c "$DIR/homeserver.yaml" --daemonize >/dev/null
    for _ in $(seq 1 300); do
        if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
            printf 'MATRIX_TEST_HOMESERVER_URL=http://127.0.0.1:%s\nMATRIX_TEST_SHARED_SECRET=%s\n' "$port" "$secret" \
                > "$DIR/synapse.env"
            echo "matrix-test-server: Synapse $SYNAPSE_VERSION on http://127.0.0.1:$port"
            return
        fi
        sleep 0.1
    done
    echo "matrix-test-server: Synapse did not answer /health within 30 s; see $DIR/homeserver.log" >&2
    exit 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
