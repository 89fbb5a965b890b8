#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetches Debian's vblade source package (pinned version), verifies it against source.sha256 and
# unpacks it (with Debian's own patches) into $2. Called by server/Makefile.
# apt-get source needs a deb-src stanza: if the machine has none for bookworm main, one is added as
# its own file (the existing apt configuration is not edited) and the package lists are refreshed.
set -euo pipefail
version=${1:?usage: fetch-source.sh VERSION DEST_DIR}
dest=${2:?usage: fetch-source.sh VERSION DEST_DIR}
here=$(cd "$(dirname "$0")" && pwd)
dl="$here/build/download"
stanza=/etc/apt/sources.list.d/vmm-netboot-deb-src.sources

die() { echo "server/fetch-source.sh: $*" >&2; exit 1; }

have_deb_src() {
  grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/
}

verified() {
  [[ -f "$dl/vblade_$version.dsc" ]] &&
    (cd "$dl" && sha256sum --quiet --strict -c "$here/source.sha256") >/dev/null 2>&1
}

grep -q " vblade_$version.dsc\$" "$here/source.sha256" ||
  die "server/source.sha256 pins no vblade_$version.dsc: update the checksums together with the version in server/Makefile."

mkdir -p "$dl"
if ! verified; then
  command -v apt-get >/dev/null || die "apt-get not found: this build needs Debian's vblade source package (Debian 12)."
  if ! have_deb_src; then
    [[ $(id -u) -eq 0 ]] || die "no deb-src entry in the apt configuration; run 'make -C server' as root once (it adds $stanza), or add a deb-src line for bookworm main yourself."
    echo "fetch-source: adding $stanza and running apt-get update"
    cat > "$stanza" <<'STANZA'
# Added by the vmm-netboot artifact (server/fetch-source.sh): 'apt-get source vblade' needs deb-src.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
STANZA
    apt-get update -qq || die "apt-get update failed after adding $stanza"
  fi
  rm -f "$dl"/vblade_*
  if ! (cd "$dl" && apt-get source --download-only -qq "vblade=$version" >"$dl/apt-get.log" 2>&1); then
    cat "$dl/apt-get.log" >&2
    die "apt-get source vblade=$version failed: is the deb-src entry for bookworm present and 'apt-get update' done?"
  fi
  if ! verified; then
    (cd "$dl" && sha256sum -c "$here/source.sha256" >&2) || true
    die "vblade source in $dl does not match the pinned checksums in server/source.sha256 (wrong version or a changed archive); refusing to build."
  fi
fi
rm -rf "$dest"
dpkg-source --no-check -q -x "$dl/vblade_$version.dsc" "$dest" >/dev/null ||
  die "dpkg-source could not unpack $dl/vblade_$version.dsc"
