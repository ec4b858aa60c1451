#!/bin/sh
# Print every option word lib/cmdline.c accepts (one per line, sorted;
# "-name=" for options that take a value): the list the README's Options
# table (tests/readme-check.sh) and the man page (tests/install-test.sh)
# must both cover.
cd "$(dirname "$0")/.." &&
	grep -oE '"-[a-z0-9][a-z0-9-]*=?"' lib/cmdline.c | tr -d '"' | sort -u
