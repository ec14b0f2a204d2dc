# Sourced by the bench scripts that count instructions (client_instructions.sh, client_wait_cost.sh):
# `instructions OUT COMMAND...` runs COMMAND under callgrind, which counts the user-space instructions of
# every thread of the process, and prints the total; callgrind's files are OUT, OUT.log and OUT.stdout.
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
instructions() {
    local out="$1"
    shift
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$out.stdout" 2>"$out.log" ||
        { echo "failed: $* (see $out.log)" >&2; return 1; }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out.log"
}
