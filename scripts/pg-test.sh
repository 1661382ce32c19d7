#!/bin/sh
# A throw-away PostgreSQL cluster for tests, on a Unix socket in a
# temporary folder and a free TCP port on loopback.
#
#   eval "$(sh scripts/pg-test.sh start)"   starts one and prints the
#                                           variables the tests read
#   sh scripts/pg-test.sh stop DIR          stops it and removes DIR
#   sh scripts/pg-test.sh pause DIR         stops the server, keeps DIR
#   sh scripts/pg-test.sh resume DIR        starts it again
#
# start prints QALAM_TEST_POSTGRES (a superuser's URL) and
# QALAM_TEST_PGDIR (the folder). The server refuses to run as root, so
# when run as root the cluster belongs to the postgres user. Sockets
# trust local users; TCP on 127.0.0.1 asks for a password (scram).
# fsync is off: the cluster is thrown away.
set -eu

bindir() {
	for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	echo "pg-test: no initdb found (apt-get install postgresql)" >&2
	exit 1
}

# as runs a command as the cluster's owner.
as() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

freeport() {
	# A port between 20000 and 29999 that nothing listens on.
	while :; do
		p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 10000 ))
		if command -v ss >/dev/null 2>&1 && ss -ltn | grep -q ":$p "; then
			continue
		fi
		echo "$p"
		return
	done
}

pgctl() {
	dir=$1; shift
	as "$(bindir)/pg_ctl" -D "$dir/data" -l "$dir/log" -w "$@" >/dev/null
}

case "${1:-}" in
start)
	bin=$(bindir)
	dir=$(mktemp -d /tmp/qalam-pg.XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	port=$(freeport)
	as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
EOF
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
EOF
	pgctl "$dir" start || { cat "$dir/log" >&2; exit 1; }
	echo "export QALAM_TEST_POSTGRES='postgres://postgres@/postgres?host=$dir&port=$port'"
	echo "export QALAM_TEST_PGDIR='$dir'"
	;;
stop)
	dir=${2:?usage: pg-test.sh stop DIR}
	pgctl "$dir" stop -m fast || true
	rm -rf "$dir"
	;;
pause)
	pgctl "${2:?usage: pg-test.sh pause DIR}" stop -m fast
	;;
resume)
	pgctl "${2:?usage: pg-test.sh resume DIR}" start
	;;
*)
	echo "usage: pg-test.sh start | stop DIR | pause DIR | resume DIR" >&2
	exit 2
	;;
esac
