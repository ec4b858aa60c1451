#!/bin/sh
# Fetch Debian 12's syslinux source package (the same 6.04 build as the
# installed pxelinux.0/libcom32.c32) into $1, for its COM32 headers and
# linker script.  Nothing from it is committed; it is a build-time input.
set -eu
dest=${1:?usage: get-syslinux-src.sh DESTDIR}
[ -f "$dest/.complete" ] && exit 0
if ! apt-get indextargets --format '$(TARGET_OF)' 2>/dev/null | grep -qx deb-src; then
    echo "adding a deb-src entry for bookworm (needed by apt-get source)" >&2
    cat > /etc/apt/sources.list.d/mboot-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
fi
ver=$(dpkg-query -W -f='${Version}' syslinux-common)
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
(cd "$dest.tmp" && apt-get source -qq --download-only "syslinux=$ver" >/dev/null 2>&1 &&
    dpkg-source -x *.dsc src >/dev/null)
rm -rf "$dest" && mv "$dest.tmp/src" "$dest" && rm -rf "$dest.tmp"
touch "$dest/.complete"
