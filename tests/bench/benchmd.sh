# benchmd.sh - sourced by tests/bench/bench-*.sh: their section of
# docs/BENCH.md (the shell twin of benchmd.py).
#
#   md_begin BUILD NAME TITLE COMMAND  record command, commit, time, load,
#                                      form (md_form)
#   md_text LINE...                    append text lines
#   md_block FILE                      append FILE (a printed table) fenced
#   md_end                             write BUILD/bench/NAME.md
#
# The caller sets ROOT (the repository).  tests/bench/collect.sh assembles
# the sections into docs/BENCH.md.
#
# SPDX-License-Identifier: GPL-2.0-or-later

# md_begin BUILD NAME TITLE COMMAND
md_begin() {
	MD_FILE="$1/bench/$2.md"
	mkdir -p "$1/bench"
	MD_BODY="$MD_FILE.body"
	: > "$MD_BODY"
	MD_TITLE=$3
	MD_CMD=$4
	MD_COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "?")
	MD_START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
	MD_LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
}

# md_text LINE...: each argument one line
md_text() {
	for l in "$@"; do printf '%s\n' "$l"; done >> "$MD_BODY"
}

# md_block FILE: the file's text as a fenced block
md_block() {
	{ echo '```'; cat "$1"; echo '```'; echo; } >> "$MD_BODY"
}

# md_end: write the section (end time and load average: now)
md_end() {
	{
		echo "## $MD_TITLE"
		echo
		echo "Command: \`$MD_CMD\`  "
		echo "Commit: $MD_COMMIT; ran $MD_START to $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load average (1/5/15 min) at start $MD_LOAD0, at end $(cut -d' ' -f1-3 /proc/loadavg)  "
		echo "Form: $(md_form)"
		echo
		cat "$MD_BODY"
	} > "$MD_FILE.tmp"
	mv "$MD_FILE.tmp" "$MD_FILE"
	rm -f "$MD_BODY"
	echo "bench: section written to $MD_FILE" >&2
}

# md_command: "$0 ARGS" with the BENCH_* settings in effect, for md_begin
# (BENCH_FORM left out: it names the form, it changes nothing the script
# does; the Form line says it)
md_command() {
	env | grep '^BENCH_' | grep -v '^BENCH_FORM=' | sort | tr '\n' ' '
	printf '%s' "$*"
}

# md_form: which form of the bench produced the section, from BENCH_FORM
# (set by tests/bench/run-bench.sh; the same words as benchmd.py's form())
md_form() {
	case ${BENCH_FORM:-} in
	default) echo "default (make bench: the budgeted form)" ;;
	full) echo "full (make bench-full: the long form)" ;;
	*) echo "by hand (not through make bench or make bench-full)" ;;
	esac
}
