#!/usr/bin/env bash
# Builds the rpm and the deb of oms-upgrade from a staged release tree (scripts/release.sh calls it).
#
# Both hold the same files: the tree in /opt/oms-upgrade, /usr/bin/oms-upgrade (a symlink to its
# launcher), the man pages in /usr/share/man/man1, the completions where bash, zsh and fish look
# for them, the README in /usr/share/doc/oms-upgrade. Neither declares a dependency: the tree carries
# its own C runtime. The rpm is readable by EL7's rpm 4.11: xz payload, sha256 file digests.
#
# Usage: packaging/build-packages.sh TREE OUT_DIR VERSION ARCH
#   prints the two package paths on stdout; SOURCE_DATE_EPOCH pins the files' dates.
set -euo pipefail
log() { printf 'build-packages.sh: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}
(($# == 4)) || die "usage: packaging/build-packages.sh TREE OUT_DIR VERSION ARCH"
TREE=$(cd "$1" && pwd)
OUT_DIR=$(cd "$2" && pwd)
VERSION=$3
ARCH=$4
[[ $VERSION =~ ^[0-9][0-9A-Za-z.+-]*$ ]] || die "a package version must start with a digit: $VERSION"
# A pre-release (1.2.0-rc.1) sorts before its release with '~' in both rpm and dpkg; '-' is not allowed.
PKG_VERSION=${VERSION//-/\~}
case $ARCH in
    x86_64) DEB_ARCH=amd64 ;;
    aarch64) DEB_ARCH=arm64 ;;
    *) die "no package architecture known for $ARCH" ;;
esac
command -v rpmbuild > /dev/null || die "rpmbuild is missing: apt-get install rpm (scripts/sandbox-up.sh installs it)"
command -v dpkg-deb > /dev/null || die "dpkg-deb is missing: apt-get install dpkg"
SUMMARY="Upgrade and roll back OceanBase Migration Service (OMS) Community Edition deployments"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/man/man1" "$ROOT/usr/share/bash-completion/completions" \
    "$ROOT/usr/share/zsh/site-functions" "$ROOT/usr/share/fish/vendor_completions.d" "$ROOT/usr/share/doc/oms-upgrade"
cp -a "$TREE" "$ROOT/opt/oms-upgrade"
ln -s /opt/oms-upgrade/bin/oms-upgrade "$ROOT/usr/bin/oms-upgrade"
install -m 0644 "$TREE"/share/man/man1/*.1 "$ROOT/usr/share/man/man1/"
install -m 0644 "$TREE/share/bash-completion/completions/oms-upgrade" "$ROOT/usr/share/bash-completion/completions/"
install -m 0644 "$TREE/share/zsh/site-functions/_oms-upgrade" "$ROOT/usr/share/zsh/site-functions/"
install -m 0644 "$TREE/share/fish/vendor_completions.d/oms-upgrade.fish" "$ROOT/usr/share/fish/vendor_completions.d/"
install -m 0644 "$TREE/README.md" "$ROOT/usr/share/doc/oms-upgrade/"

# rpm: the spec copies the prepared root into the build root; no automatic requires or provides
# (they would name the bundled glibc's versions), no post-install processing (strip, build-id links,
# man page compression), an xz payload and sha256 digests that rpm 4.11 (EL7) reads.
RPM_TOP=$WORK/rpmbuild
mkdir -p "$RPM_TOP/SPECS"
cat > "$RPM_TOP/SPECS/oms-upgrade.spec" << SPEC
Name: oms-upgrade
Version: $PKG_VERSION
Release: 1
Summary: $SUMMARY
License: Unspecified
AutoReqProv: no

%description
oms-upgrade plans, applies, resumes and rolls back upgrades of OMS Community Edition
deployments (a Docker container per host and three metadata databases). It carries its own
C runtime in /opt/oms-upgrade/lib and uses nothing of the host's but the docker CLI.

%install
cp -a %{oms_root}/. %{buildroot}/

%files
%defattr(-,root,root,-)
%dir /opt/oms-upgrade
/opt/oms-upgrade/*
/usr/bin/oms-upgrade
/usr/share/man/man1/oms-upgrade*.1
/usr/share/bash-completion/completions/oms-upgrade
/usr/share/zsh/site-functions/_oms-upgrade
/usr/share/fish/vendor_completions.d/oms-upgrade.fish
%dir /usr/share/doc/oms-upgrade
/usr/share/doc/oms-upgrade/README.md
SPEC
rpm_defines=(
    --define "_topdir $RPM_TOP" --define "oms_root $ROOT"
    --define "_binary_payload w9.xzdio" --define "_binary_filedigest_algorithm 8"
    --define "__os_install_post %{nil}" --define "__arch_install_post %{nil}" --define "_build_id_links none"
    --define "debug_package %{nil}" --define "_rpmfilename oms-upgrade-%{VERSION}-%{RELEASE}.%{ARCH}.rpm"
    --define "_buildhost oms-upgrade-release"
)
if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
    rpm_defines+=(--define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_epoch 1")
fi
log "building the rpm"
rpmbuild -bb --target "$ARCH" "${rpm_defines[@]}" "$RPM_TOP/SPECS/oms-upgrade.spec" >&2
RPM=oms-upgrade-$PKG_VERSION-1.$ARCH.rpm
mv "$RPM_TOP/RPMS/$RPM" "$OUT_DIR/$RPM"
compressor=$(rpm -qp --qf '%{PAYLOADCOMPRESSOR}' "$OUT_DIR/$RPM")
[[ $compressor == xz ]] || die "the rpm's payload is $compressor, not xz: EL7 could not install it"

# deb: the same root plus DEBIAN/control.
log "building the deb"
mkdir -p "$ROOT/DEBIAN"
cat > "$ROOT/DEBIAN/control" << CONTROL
Package: oms-upgrade
Version: $PKG_VERSION
Architecture: $DEB_ARCH
Maintainer: the oms-upgrade authors <oms-upgrade@localhost>
Section: admin
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
Description: $SUMMARY
 oms-upgrade plans, applies, resumes and rolls back upgrades of OMS Community Edition
 deployments (a Docker container per host and three metadata databases). It carries its own
 C runtime in /opt/oms-upgrade/lib and uses nothing of the host's but the docker CLI.
CONTROL
DEB=oms-upgrade_${PKG_VERSION}_$DEB_ARCH.deb
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$OUT_DIR/$DEB" >&2

for package in "$RPM" "$DEB"; do
    (cd "$OUT_DIR" && sha256sum "$package" > "$package.sha256")
    echo "$OUT_DIR/$package"
done
