#!/bin/sh
# Install the Debian 12 packages mboot's build, tests, demo and benchmarks
# need, when they are missing.  Needs root (or sudo) only when something is
# missing.
set -eu
PKGS="gcc make binutils nasm clang libclang-rt-14-dev zlib1g-dev python3 \
      qemu-system-x86 qemu-utils qemu-user ipxe-qemu seabios syslinux-common pxelinux \
      dpkg-dev cpio gzip xz-utils ca-certificates cppcheck \
      syslinux-efi ovmf gnu-efi nginx-light grub-efi-amd64-bin grub-pc-bin \
      debhelper strace lintian man-db groff-base libssl-dev \
      dnsmasq-base nftables iproute2 kmod tftpd-hpa swtpm tpm2-tools lzop \
      tgt open-iscsi e2fsprogs"
# atftpd conflicts with tftpd-hpa (both provide tftpd), so the network lab's
# third TFTP server is Debian's atftpd package unpacked, not installed, here
# (qemu/netlab/servers.py ATFTPD_CACHE):
ATFTPD_DIR=/var/cache/mboot-lab/atftpd

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# fetch_atftpd: unpack atftpd's .deb into $ATFTPD_DIR unless its binary is
# there already; apt-get download needs the package lists (apt-get update).
fetch_atftpd() {
    [ -x "$ATFTPD_DIR/usr/sbin/atftpd" ] && return 0
    tmp=$(mktemp -d)
    ( cd "$tmp" && apt-get download atftpd >/dev/null ) || {
        $SUDO apt-get update -qq
        ( cd "$tmp" && apt-get download atftpd >/dev/null )
    } || { echo "install-deps: apt-get download atftpd failed" >&2
           rm -rf "$tmp"; return 1; }
    $SUDO mkdir -p "$ATFTPD_DIR"
    $SUDO dpkg-deb -x "$tmp"/atftpd_*.deb "$ATFTPD_DIR"
    rm -rf "$tmp"
    [ -x "$ATFTPD_DIR/usr/sbin/atftpd" ] || {
        echo "install-deps: $ATFTPD_DIR/usr/sbin/atftpd missing after" \
             "unpacking atftpd" >&2; return 1; }
    echo "install-deps: atftpd unpacked in $ATFTPD_DIR"
}
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    $SUDO apt-get update -qq
    # tftpd-hpa's maintainer script starts its service; the lab runs its
    # own in.tftpd in a namespace and does not need it, but it does no harm.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
fetch_atftpd
