#!/bin/sh
# Install the Debian 12 packages mboot's build, tests, demo and benchmarks
# need, when they are missing.  Needs root (or sudo) only when something is
# missing.
set -eu
PKGS="gcc make binutils nasm clang libclang-rt-14-dev zlib1g-dev python3 \
      qemu-system-x86 qemu-utils qemu-user ipxe-qemu seabios syslinux-common pxelinux \
      dpkg-dev cpio gzip xz-utils ca-certificates cppcheck \
      syslinux-efi ovmf gnu-efi nginx-light grub-efi-amd64-bin \
      debhelper strace lintian man-db groff-base libssl-dev \
      dnsmasq-base nftables iproute2 kmod"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
