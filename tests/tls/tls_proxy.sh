#!/usr/bin/env bash
# TLS + token gRPC proxy fixture for integration tests: an nginx on 127.0.0.1 that
# terminates TLS (HTTP/2), checks the gRPC `authorization` metadata and forwards to a
# plaintext gRPC server (e.g. Milvus Lite) on 127.0.0.1:UPSTREAM_PORT.
#
# Usage:
#   tls_proxy.sh start DIR UPSTREAM_PORT TOKEN
#       Creates DIR if needed and writes into it (kept if already there):
#         ca.pem ca.key          test CA that signed server.pem and client.pem
#         server.pem server.key  server certificate, SAN DNS:localhost, IP:127.0.0.1
#         client.pem client.key  client certificate (clientAuth), signed by ca.pem
#         wrong-ca.pem           an unrelated CA (for "untrusted server" tests)
#       and always rewrites nginx.conf, then starts nginx on a free port of 127.0.0.1.
#       Requests whose `authorization` header is not exactly base64(TOKEN) (how Milvus
#       clients send a token) are answered with HTTP 401, which gRPC clients report as
#       UNAUTHENTICATED. When it returns 0 the port accepts TCP; the port is written to
#       DIR/port and printed alone on stdout. Progress and errors go to stderr; on
#       failure it exits non-zero and prints nginx's error log.
#   tls_proxy.sh stop DIR
#       Stops the nginx started for DIR; succeeds quietly when none is running.
#
# Environment (optional):
#   TLS_PROXY_CLIENT_CERT  "off" (default), "optional" or "require": ask clients for a
#                          certificate signed by ca.pem (mutual TLS). With "require" a
#                          client without one gets HTTP 400.
#   TLS_PROXY_LIFETIME     seconds after which a watchdog stops a proxy that nobody
#                          stopped (default 3600; 0 = never), so a crashed test does
#                          not leave nginx running.
#
# Logs: DIR/error.log (nginx errors), DIR/access.log (status per request; no tokens).
set -euo pipefail

NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

log() { printf 'tls_proxy: %s\n' "$*" >&2; }
die() { printf 'tls_proxy: error: %s\n' "$*" >&2; exit 1; }
usage() {
    cat >&2 <<'EOF'
usage: tls_proxy.sh start DIR UPSTREAM_PORT TOKEN
       tls_proxy.sh stop DIR
EOF
    exit 64
}

# ---------------------------------------------------------------- helpers
# True if PID is the nginx master started with DIR/nginx.conf.
is_our_nginx() {
    local pid="$1" dir="$2" cmdline
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
    [[ "$cmdline" == *nginx* && "$cmdline" == *"$dir/nginx.conf"* ]]
}

stop_proxy() {
    local dir="$1" pid i child
    local pidfile="$dir/nginx.pid"
    [[ -f "$pidfile" ]] || return 0
    pid="$(tr -dc '0-9' <"$pidfile" 2>/dev/null || true)"
    if ! is_our_nginx "$pid" "$dir"; then
        rm -f "$pidfile"
        return 0
    fi
    # TERM = fast shutdown: open gRPC streams are cut, workers killed after ~1 s.
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        is_our_nginx "$pid" "$dir" || break
        sleep 0.1
    done
    if is_our_nginx "$pid" "$dir"; then
        log "nginx $pid did not stop on TERM; killing it and its workers"
        for child in $(ps -o pid= --ppid "$pid" 2>/dev/null || true); do
            kill -KILL "$child" 2>/dev/null || true
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------- certificates
write_openssl_cnf() {
    cat >"$1" <<'EOF'
[ req ]
distinguished_name = dn
prompt             = no
[ dn ]
CN = unused
[ ca_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ server_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer
[ client_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer
EOF
}

# make_ca NAME CN  -> NAME.pem NAME.key
make_ca() {
    openssl req -x509 -new -config openssl.cnf -extensions ca_ext \
        -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$1.key" -out "$1.pem" -days 3650 -subj "/O=Milvus Explorer tests/CN=$2" 2>/dev/null
}

# make_leaf NAME CN EXT  -> NAME.pem NAME.key, signed by ca.pem
make_leaf() {
    openssl req -new -config openssl.cnf \
        -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$1.key" -out "$1.csr" -subj "/O=Milvus Explorer tests/CN=$2" 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key \
        -set_serial "0x$(openssl rand -hex 15)" -days 825 \
        -extfile openssl.cnf -extensions "$3" -out "$1.pem" 2>/dev/null
    rm -f "$1.csr"
}

make_certs() {
    local f missing=0
    for f in ca.pem ca.key server.pem server.key client.pem client.key wrong-ca.pem; do
        [[ -s "$f" ]] || missing=1
    done
    ((missing)) || return 0  # all present: keep them (clients may already trust this ca.pem)
    log "generating test certificates in $PWD"
    command -v openssl >/dev/null 2>&1 || die "openssl not found"
    write_openssl_cnf openssl.cnf
    make_ca ca "Milvus Explorer Test CA"
    make_ca wrong-ca "Unrelated Test CA"
    make_leaf server localhost server_ext
    make_leaf client "milvus-explorer-test-client" client_ext
    chmod 600 ./*.key
}

# ---------------------------------------------------------------- nginx
write_nginx_conf() {
    local dir="$1" port="$2" upstream="$3" expected="$4" client_cert="$5"
    local user_line="" verify_lines=""
    # Master as root: run the worker as root too, so it can use DIR even if it is 0700.
    ((EUID == 0)) && user_line="user root;"
    case "$client_cert" in
        off | "") ;;
        optional | require)
            local mode=on
            [[ "$client_cert" == optional ]] && mode=optional
            verify_lines="ssl_client_certificate \"$dir/ca.pem\";
        ssl_verify_client $mode;
        ssl_verify_depth 2;"
            ;;
        *) die "TLS_PROXY_CLIENT_CERT must be off, optional or require (got '$client_cert')" ;;
    esac
    cat >"$dir/nginx.conf" <<EOF
# Generated by tests/tls/tls_proxy.sh; rewritten on every start.
$user_line
daemon on;
master_process on;
worker_processes 1;
pid "$dir/nginx.pid";
error_log "$dir/error.log" notice;

events {
    worker_connections 256;
}

http {
    types { }
    default_type application/octet-stream;
    log_format grpc_log '\$remote_addr [\$time_local] "\$request" \$status grpc-status=\$upstream_http_grpc_status\$upstream_trailer_grpc_status \$request_time';
    access_log "$dir/access.log" grpc_log;

    client_body_temp_path "$dir/tmp/client_body";
    proxy_temp_path       "$dir/tmp/proxy";
    fastcgi_temp_path     "$dir/tmp/fastcgi";
    uwsgi_temp_path       "$dir/tmp/uwsgi";
    scgi_temp_path        "$dir/tmp/scgi";

    server {
        listen 127.0.0.1:$port ssl http2;
        server_name localhost;

        ssl_certificate     "$dir/server.pem";
        ssl_certificate_key "$dir/server.key";
        ssl_protocols TLSv1.2 TLSv1.3;
        $verify_lines

        client_max_body_size 0;
        client_body_timeout 300s;
        keepalive_timeout 300s;
        keepalive_requests 100000;
        large_client_header_buffers 4 64k;

        # Milvus clients send metadata authorization = base64(token).
        if (\$http_authorization != "$expected") {
            return 401;
        }

        location / {
            grpc_pass grpc://127.0.0.1:$upstream;
            grpc_connect_timeout 75s;   # nginx caps connect timeouts at 75 s
            grpc_read_timeout 300s;
            grpc_send_timeout 300s;
            grpc_socket_keepalive on;
        }
    }
}
EOF
}

start_proxy() {
    local dir="$1" upstream="$2" token="$3"
    if ! [[ "$upstream" =~ ^[0-9]+$ ]] || ((upstream < 1 || upstream > 65535)); then
        die "UPSTREAM_PORT must be a port number (got '$upstream')"
    fi
    [[ -x "$NGINX" ]] || die "nginx not found (install the Debian package nginx; scripts/setup.sh does)"
    command -v python3 >/dev/null 2>&1 || die "python3 not found"

    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    [[ "$dir" != *[\"\$\;\{\}\\]* ]] || die "DIR must not contain any of: \" \$ ; { } \\ (got '$dir')"
    mkdir -p "$dir/tmp"

    stop_proxy "$dir"  # a previous proxy for this DIR (maybe another token)
    rm -f "$dir/port"

    (cd "$dir" && make_certs)

    local expected
    expected="$(printf '%s' "$token" | base64 -w0)"

    local attempt port pid
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        write_nginx_conf "$dir" "$port" "$upstream" "$expected" "${TLS_PROXY_CLIENT_CERT:-off}"
        : >"$dir/error.log"
        if "$NGINX" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" </dev/null >"$dir/nginx.out" 2>&1; then
            break
        fi
        if grep -qs 'Address already in use' "$dir/error.log" "$dir/nginx.out" && ((attempt < 5)); then
            log "port $port was taken meanwhile; retrying"
            continue
        fi
        log "nginx failed to start; nginx output and $dir/error.log:"
        cat "$dir/nginx.out" "$dir/error.log" >&2
        exit 1
    done

    # Wait for the pid file and for the port to accept TCP (normally immediate).
    local i
    for ((i = 0; i < 100; i++)); do
        pid="$(tr -dc '0-9' <"$dir/nginx.pid" 2>/dev/null || true)"
        if [[ -n "$pid" ]] && port_open "$port"; then
            break
        fi
        sleep 0.1
    done
    if [[ -z "$pid" ]] || ! is_our_nginx "$pid" "$dir" || ! port_open "$port"; then
        log "nginx did not come up on 127.0.0.1:$port; $dir/error.log:"
        cat "$dir/error.log" >&2
        stop_proxy "$dir"
        exit 1
    fi

    local lifetime="${TLS_PROXY_LIFETIME:-3600}"
    if [[ "$lifetime" =~ ^[0-9]+$ ]] && ((lifetime > 0)); then
        # Detached watchdog holding none of our stdio, so callers reading our output
        # (QProcess, $(...)) see EOF as soon as this script exits.
        # shellcheck disable=SC2016  # expanded by the inner bash
        setsid bash -c '
            pid=$1 conf=$2 end=$((SECONDS + $3))
            alive() { tr "\0" " " <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$conf"; }
            while alive; do
                if ((SECONDS >= end)); then kill -TERM "$pid"; exit 0; fi
                sleep 2
            done' tls_proxy_watchdog "$pid" "$dir/nginx.conf" "$lifetime" \
            </dev/null >/dev/null 2>&1 &
    fi

    printf '%s\n' "$port" >"$dir/port"
    log "nginx $pid: https://localhost:$port -> grpc://127.0.0.1:$upstream (dir $dir)"
    printf '%s\n' "$port"
}

# ---------------------------------------------------------------- main
case "${1:-}" in
    start)
        (($# == 4)) || usage
        start_proxy "$2" "$3" "$4"
        ;;
    stop)
        (($# == 2)) || usage
        [[ -d "$2" ]] || exit 0
        stop_proxy "$(cd "$2" && pwd)"
        ;;
    *) usage ;;
esac
