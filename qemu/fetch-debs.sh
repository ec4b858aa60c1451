#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fetch-debs.sh BUILD_DIR
#
# Download (cached) and unpack the Debian packages the real-Xen demo needs:
#   xen-hypervisor-4.17-amd64      -> boot/xen-4.17-amd64.gz
#   linux-image-6.1.*-amd64        -> boot/vmlinuz-*   (the package that
#                                     linux-image-amd64 currently depends on)
#   busybox-static                 -> bin/busybox
#   tboot                          -> boot/tboot.gz (the measured-launch
#                                     chain: tboot, then Xen as a module)
#
# Files land in BUILD_DIR/debs under the names `apt-get download` gives them
# (other tools share this directory; nothing in it is ever deleted).  Each
# package is unpacked with `dpkg-deb -x` into BUILD_DIR/debs/root-<pkg>.
# A second run downloads nothing.  The last lines printed are KEY=PATH pairs:
#   xen_deb= xen_root= xen_gz= kernel_deb= kernel_root= vmlinuz=
#   busybox_deb= busybox_root= busybox= tboot_deb= tboot_root= tboot_gz=
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD_DIR=$1
DEBS=$BUILD_DIR/debs
mkdir -p "$DEBS"
DEBS=$(cd "$DEBS" && pwd)

# Serialise concurrent runs (another tool may populate the same cache).
exec 9>"$DEBS/.fetch-debs.lock"
flock 9

log() { echo "fetch-debs: $*" >&2; }

# fetch() runs in command substitutions (subshells), so "already updated"
# is remembered in a private temporary file rather than a variable.
UPDATED=$(mktemp)
trap 'rm -f "$UPDATED"' EXIT
apt_update_once() {
	if [ ! -s "$UPDATED" ]; then
		log "running apt-get update"
		apt-get update >&2
		echo 1 >"$UPDATED"
	fi
}

# candidate_version PKG -> prints the candidate version or nothing
candidate_version() {
	apt-cache policy "$1" 2>/dev/null |
		sed -n 's/^ *Candidate: *//p' | grep -v '^(none)$' || true
}

# resolve_kernel -> prints linux-image-6.1.*-amd64 (the package that the
# candidate linux-image-amd64 depends on) or nothing
resolve_kernel() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*-amd64\)$/\1/p' |
		head -n 1
}

# deb_name PKG VERSION -> the file name `apt-get download` produces
deb_name() {
	printf '%s_%s_amd64.deb\n' "$1" "$(printf '%s' "$2" | sed 's/:/%3a/')"
}

# newest_cached GLOB -> newest (by dpkg version) cached deb matching GLOB
newest_cached() {
	best=
	best_v=
	for f in $DEBS/$1; do
		[ -f "$f" ] || continue
		v=$(dpkg-deb -f "$f" Version 2>/dev/null) || continue
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best_v"; then
			best=$f
			best_v=$v
		fi
	done
	[ -n "$best" ] && printf '%s\n' "$best"
	return 0
}

# fetch PKG [FALLBACK_GLOB] -> prints the path of the .deb for PKG
fetch() {
	pkg=$1
	ver=$(candidate_version "$pkg")
	if [ -z "$ver" ]; then
		# No package lists (or an unknown package): use the cache if it
		# has the package, else refresh the lists once and retry.
		cached=$(newest_cached "${pkg}_*_amd64.deb")
		if [ -n "$cached" ]; then
			log "$pkg: no apt candidate, using cached $(basename "$cached")"
			printf '%s\n' "$cached"
			return 0
		fi
		apt_update_once
		ver=$(candidate_version "$pkg")
		[ -n "$ver" ] || { log "$pkg: no candidate version"; return 1; }
	fi
	f=$DEBS/$(deb_name "$pkg" "$ver")
	if [ -s "$f" ]; then
		log "$pkg $ver: cached"
	else
		log "$pkg $ver: downloading"
		(cd "$DEBS" && apt-get download "$pkg=$ver" >&2) || {
			# Stale lists (version gone from the mirror): refresh once.
			apt_update_once
			ver=$(candidate_version "$pkg")
			f=$DEBS/$(deb_name "$pkg" "$ver")
			[ -s "$f" ] || (cd "$DEBS" && apt-get download "$pkg=$ver" >&2)
		}
		[ -s "$f" ] || { log "$pkg: $f missing after download"; return 1; }
	fi
	printf '%s\n' "$f"
}

# unpack PKG DEB -> prints the root directory
unpack() {
	root=$DEBS/root-$1
	stamp=$root/.unpacked-from
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(basename "$2")" ]; then
		printf '%s\n' "$root"
		return 0
	fi
	log "unpacking $(basename "$2") -> $root"
	mkdir -p "$root"
	dpkg-deb -x "$2" "$root"
	basename "$2" >"$stamp"
	printf '%s\n' "$root"
}

# --- the kernel package name ---------------------------------------------
KPKG=$(resolve_kernel)
if [ -z "$KPKG" ]; then
	cached=$(newest_cached 'linux-image-6.1.*-amd64_*_amd64.deb')
	if [ -n "$cached" ]; then
		KPKG=$(dpkg-deb -f "$cached" Package)
	else
		apt_update_once
		KPKG=$(resolve_kernel)
	fi
fi
[ -n "$KPKG" ] || { log "cannot resolve the linux-image-amd64 dependency"; exit 1; }

XEN_DEB=$(fetch xen-hypervisor-4.17-amd64)
KERNEL_DEB=$(fetch "$KPKG")
BUSYBOX_DEB=$(fetch busybox-static)
TBOOT_DEB=$(fetch tboot)

XEN_ROOT=$(unpack xen-hypervisor-4.17-amd64 "$XEN_DEB")
KERNEL_ROOT=$(unpack "$KPKG" "$KERNEL_DEB")
BUSYBOX_ROOT=$(unpack busybox-static "$BUSYBOX_DEB")
TBOOT_ROOT=$(unpack tboot "$TBOOT_DEB")

XEN_GZ=$XEN_ROOT/boot/xen-4.17-amd64.gz
VMLINUZ=$(ls "$KERNEL_ROOT"/boot/vmlinuz-* | head -n 1)
BUSYBOX=$BUSYBOX_ROOT/bin/busybox
TBOOT_GZ=$TBOOT_ROOT/boot/tboot.gz
for f in "$XEN_GZ" "$VMLINUZ" "$BUSYBOX" "$TBOOT_GZ"; do
	[ -f "$f" ] || { log "missing $f"; exit 1; }
done

cat <<EOF
xen_deb=$XEN_DEB
xen_root=$XEN_ROOT
xen_gz=$XEN_GZ
kernel_deb=$KERNEL_DEB
kernel_root=$KERNEL_ROOT
vmlinuz=$VMLINUZ
busybox_deb=$BUSYBOX_DEB
busybox_root=$BUSYBOX_ROOT
busybox=$BUSYBOX
tboot_deb=$TBOOT_DEB
tboot_root=$TBOOT_ROOT
tboot_gz=$TBOOT_GZ
EOF
