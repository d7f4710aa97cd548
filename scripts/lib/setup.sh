# shellcheck shell=bash
# Installs what scripts/test needs; sourced by scripts/test after scripts/lib/postgres.sh, not run.
#   setup_packages all|swift  the Debian packages the tests use (all: Swift and end-to-end; swift: PostgreSQL only).
#                             As root with apt-get, installs the missing ones; otherwise stops at once with the
#                             one command that does (with swift, goes on: the Swift tests fall back to SQLite).
#   setup_python              .venv-test/ with the pinned scripts/test-requirements.txt, installed again only when
#                             that file changes; puts .venv-test/bin first on PATH, so `python3` is the venv's.
# Never touches the system Python's packages.

TEST_VENV="$PWD/.venv-test"
TEST_REQUIREMENTS="$PWD/scripts/test-requirements.txt"

# The Debian packages that provide a missing command, one a line.
missing_packages() {
  if [ -n "${FLOODGATE_TEST_POSTGRES_URL:-}" ]; then
    # A server of your own needs no cluster here, but the end-to-end tests create databases on it with psql.
    [ "$1" = swift ] || command -v psql >/dev/null || echo postgresql-client
  else
    have_postgres || echo postgresql
  fi
  # start_postgres picks its port with python3; the end-to-end tests make their venv with it.
  if ! command -v python3 >/dev/null; then
    echo python3
    [ "$1" = swift ] || echo python3-venv
  elif [ "$1" != swift ] && ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo python3-venv
  fi
  [ "$1" = swift ] && return 0
  command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || echo chromium
  command -v chromedriver >/dev/null || echo chromium-driver
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || [ -x /usr/local/sbin/haproxy ] || echo haproxy
  command -v sqlite3 >/dev/null || echo sqlite3
  # The second step's enrolment QR code is read back from a screenshot with a real decoder.
  command -v zbarimg >/dev/null || echo zbar-tools
}

setup_packages() {
  local mode=$1 missing
  missing=$(missing_packages "$mode" | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages for the tests: $missing"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086  # one word a package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    missing=$(missing_packages "$mode" | tr '\n' ' ')
    if [ -n "$missing" ]; then
      echo "Still missing after apt-get install: ${missing% }" >&2
      case "$missing" in *python3-venv*) echo "  ($(command -v python3) is not Debian's: give it ensurepip, or put /usr/bin first on PATH)" >&2 ;; esac
      exit 1
    fi
  elif [ "$mode" = swift ]; then
    echo "Not installed: $missing (sudo apt-get install -y $missing)."
  else
    echo "scripts/test needs Debian packages that are not installed: $missing. Install them with the one command:" >&2
    echo "  sudo apt-get install -y $missing" >&2
    exit 1
  fi
}

setup_python() {
  local python="$TEST_VENV/bin/python" stamp="$TEST_VENV/.requirements.sha256" want have=""
  # Missing, half made (no pip) or broken (its interpreter gone): made anew.
  if ! "$python" -c 'import pip' >/dev/null 2>&1; then
    echo "Making the test virtualenv $TEST_VENV"
    if ! python3 -m venv --clear "$TEST_VENV"; then
      echo "python3 -m venv failed: on Debian, sudo apt-get install -y python3-venv" >&2
      exit 1
    fi
  fi
  want=$(sha256sum <"$TEST_REQUIREMENTS" | cut -d' ' -f1)
  [ -f "$stamp" ] && have=$(cat "$stamp")
  if [ "$want" != "$have" ]; then
    echo "Installing the Python test peers into $TEST_VENV (scripts/test-requirements.txt)"
    rm -f "$stamp"
    "$python" -m pip install -q --disable-pip-version-check -r "$TEST_REQUIREMENTS"
    echo "$want" >"$stamp"
  fi
  export VIRTUAL_ENV="$TEST_VENV"
  export PATH="$TEST_VENV/bin:$PATH"
}
