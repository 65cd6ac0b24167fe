# Shared set-up for scripts/run and scripts/test: installs what is missing, at pinned
# versions, and nothing that is already there. Works as root (CI) or with sudo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TERM_COLOR=never NO_COLOR=1
export PATH="$HOME/.cargo/bin:$PATH"

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs rustc >= 1.96
CARGO_FUZZ_VERSION=0.13.2
SCHEMATHESIS_VERSION=4.32.5
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# Each step also reports the free disk, so a full disk on a CI machine is obvious.
log() { printf '\n==> %s  [disk free: %s]\n' "$*" "$(df -h --output=avail . | tail -1 | tr -d ' ')"; }

apt_install() {
  # apt_install <command-or-path-to-check> <package...>
  local check=$1; shift
  if ! command -v "$check" >/dev/null 2>&1 && [ ! -e "$check" ]; then
    log "installing $* (Debian packages)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

install_rust_tools() {
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
  # The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock.
  local wb
  wb=$(awk '$0=="name = \"wasm-bindgen\""{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb" ]; then
    log "installing wasm-bindgen-cli $wb"
    cargo install wasm-bindgen-cli --version "$wb" --force   # not --locked: its lockfile pins a crate the registry lacks
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 5 minutes, once)"
    # no_downloads: never fetch tools from GitHub; --debug: the tool only orchestrates.
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" \
      --features no_downloads --debug --force
  fi
}

install_postgres() {
  # Debian's PostgreSQL server binaries (the tests start a throw-away cluster on loopback
  # with them; no system service is used).
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "installing PostgreSQL (Debian packages)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
}

# cargo fuzz (libFuzzer; run with `-s none`, which works on the stable toolchain).
install_fuzz_tools() {
  if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
    log "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
}

# schemathesis from PyPI, in a virtual environment under target/.
install_schemathesis() {
  if [ "$(target/schemathesis/bin/st --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
    log "installing schemathesis $SCHEMATHESIS_VERSION (PyPI, target/schemathesis)"
    python3 -m venv target/schemathesis
    target/schemathesis/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

install_browser_tools() {
  apt_install chromium chromium
  apt_install /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk
  log "installing Playwright (no browser download)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
}

# A throw-away PostgreSQL cluster for the test passes: Debian's server binaries, a fresh data
# directory under /tmp, loopback only, no system service. As root it runs as the `postgres`
# user (initdb refuses root). Sets LOOPDESK_TEST_POSTGRES (the tests create a database per
# test on it) and stops and removes the cluster when the calling script exits.
start_test_postgres() {
  local bin dir port run_as=()
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir=$(mktemp -d /tmp/loopdesk-pg.XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
    run_as=(runuser -u postgres --)
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  log "starting a throw-away PostgreSQL cluster on 127.0.0.1:$port"
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" start -D "$dir/data" -w -s -l "$dir/server.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
  PG_TEST_DIR=$dir PG_TEST_BIN=$bin
  trap 'stop_test_postgres' EXIT
  export LOOPDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ]; then
    local run_as=()
    [ "$(id -u)" -eq 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$PG_TEST_BIN/pg_ctl" stop -D "$PG_TEST_DIR/data" -m fast -s || true
    rm -rf "$PG_TEST_DIR"
  fi
}
