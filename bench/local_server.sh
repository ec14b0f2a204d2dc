# Sourced by the bench scripts: starts ONE local Milvus (SERVER=standalone|lite) with mx_local_server in
# a temporary data directory under $work, sets $uri, $token, $version and $server (its pid), and stops it
# on exit. Needs $build, $venv, $py and $work.
SERVER="${SERVER:-standalone}"
server_tool="$build/tests/mx_local_server"
[[ -x "$server_tool" ]] || { echo "missing $server_tool: build the mx_local_server target" >&2; exit 1; }
# The server runs until its standard input closes (or SIGTERM): hold it open with a fifo.
mkfifo "$work/keep"
MILVUS_EXPLORER_VENV="$venv" "$server_tool" --kind "$SERVER" --data-dir "$work/data" \
    <"$work/keep" >"$work/server.json" 2>"$work/server.log" &
server=$!
exec 9>"$work/keep"
stop_server() {
    exec 9>&- || true
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work/data"
}
trap stop_server EXIT
for _ in $(seq 240); do
    [[ -s "$work/server.json" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.5
done
json_field() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]) or "")' "$work/server.json" "$1"; }
uri="$(json_field uri)"
token="$(json_field token)"
version="$(json_field version)"
