#!/usr/bin/env bash
# Builds the release of oms-upgrade for any x86_64 Linux (kernel 3.10+, any C library or none):
#   dist/oms-upgrade-<version>-linux-<arch>.tar.gz       the tree below, under oms-upgrade-<version>-linux-<arch>/
#   dist/oms-upgrade-<version>-1.<arch>.rpm              the same tree in /opt/oms-upgrade (EL7 and later)
#   dist/oms-upgrade_<version>_<debarch>.deb             the same tree in /opt/oms-upgrade
# each with a <file>.sha256 beside it. The tree:
#   bin/oms-upgrade                  a POSIX sh launcher (packaging/launcher.sh): runs libexec/oms-upgrade
#                                    through lib/ld-linux-x86-64.so.2 --library-path lib (the loader)
#   libexec/oms-upgrade              the binary: Swift runtime, Foundation, libmariadb and the route table linked in
#   lib/*.so*                        the C runtime it was linked against: glibc (loader, libc, libm, ...),
#                                    libstdc++, libgcc_s, OpenSSL, zlib; the host's are never used
#   lib/mariadb/plugin/*.so          MariaDB Connector/C's loadable auth plugins
#                                    (caching_sha2_password for MySQL 8, ed25519, ...)
#   share/bash-completion/completions/oms-upgrade, share/zsh/site-functions/_oms-upgrade,
#   share/fish/vendor_completions.d/oms-upgrade.fish
#   share/man/man1/oms-upgrade*.1    one page per command (swift-argument-parser generate-manual)
#   README.md, VERSION, SHA256SUMS   (SHA256SUMS covers every other file)
# The packages also put /usr/bin/oms-upgrade (a symlink to the launcher), the man pages, the
# completions where each shell looks for them, and the README in /usr/share/doc/oms-upgrade; they
# declare no dependency (nothing of the host's libraries is used). The version is the repository's
# VERSION file; the commit and the build date are recorded in the binary (`oms-upgrade --version`).
#
# Usage: scripts/release.sh [--output-dir DIR] [--no-packages]
# Env:   OMS_RELEASE_SCRATCH  build directory (default .build-release)
#        SOURCE_DATE_EPOCH    build date to record (default: now)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

log() { printf 'release.sh: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

OUT_DIR=$ROOT/dist
PACKAGES=true
while (($#)); do
    case $1 in
        --output-dir) OUT_DIR=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
        --no-packages) PACKAGES=false ;;
        -h | --help) sed -n '2,27p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done

SCRATCH=${OMS_RELEASE_SCRATCH:-$ROOT/.build-release}
VERSION=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' VERSION)
[[ $VERSION =~ ^[0-9A-Za-z.+-]+$ ]] || die "VERSION must hold one version like 1.2.3"
ARCH=$(uname -m)
NAME=oms-upgrade-$VERSION-linux-$ARCH

OMS_BUILD_COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [[ $OMS_BUILD_COMMIT != unknown ]] && ! git diff --quiet HEAD -- 2>/dev/null; then
    OMS_BUILD_COMMIT+=-dirty
fi
OMS_BUILD_DATE=$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%dT%H:%M:%SZ)
export OMS_BUILD_COMMIT OMS_BUILD_DATE

# libmariadb statically: a private pkg-config file whose only -L directory holds libmariadb.a
# and not libmariadb.so, so the linker's -lmariadb takes the archive. SwiftPM reads
# PKG_CONFIG_PATH before the system directories.
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || echo "$ARCH-linux-gnu")
ARCHIVE=/usr/lib/$MULTIARCH/libmariadb.a
[[ -f $ARCHIVE ]] || die "$ARCHIVE is missing: apt-get install libmariadb-dev"
PKG_DIR=$SCRATCH/static-pkgconfig
mkdir -p "$PKG_DIR/lib"
ln -sf "$ARCHIVE" "$PKG_DIR/lib/libmariadb.a"
{
    echo "Name: libmariadb"
    echo "Description: MariaDB Connector/C, linked statically (scripts/release.sh)"
    echo "Version: $(pkg-config --modversion libmariadb)"
    echo "Cflags: $(pkg-config --cflags libmariadb)"
    echo "Libs: -L$PKG_DIR/lib $(pkg-config --static --libs-only-l libmariadb)"
} > "$PKG_DIR/libmariadb.pc"
export PKG_CONFIG_PATH=$PKG_DIR${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}

BUILD_FLAGS=(-c release --static-swift-stdlib --scratch-path "$SCRATCH")
log "building $NAME (commit $OMS_BUILD_COMMIT) in $SCRATCH"
start=$SECONDS
swift build "${BUILD_FLAGS[@]}" --product oms-upgrade
BIN_DIR=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)
BINARY=$BIN_DIR/oms-upgrade
log "built in $((SECONDS - start)) s"

# The binary must not need the Swift toolchain or libmariadb at run time.
if ldd "$BINARY" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libmariadb'; then
    die "the binary still links the libraries above dynamically"
fi

STAGE=$SCRATCH/stage/$NAME
rm -rf "$SCRATCH/stage"
mkdir -p "$STAGE/bin" "$STAGE/libexec" "$STAGE/lib/mariadb/plugin" "$STAGE/share/man/man1" \
    "$STAGE/share/bash-completion/completions" "$STAGE/share/zsh/site-functions" \
    "$STAGE/share/fish/vendor_completions.d"
install -m 0755 "$BINARY" "$STAGE/libexec/oms-upgrade"
strip "$STAGE/libexec/oms-upgrade"
install -m 0755 packaging/launcher.sh "$STAGE/bin/oms-upgrade"
PLUGIN_DIR=/usr/lib/$MULTIARCH/libmariadb3/plugin
if compgen -G "$PLUGIN_DIR/*.so" > /dev/null; then
    install -m 0644 "$PLUGIN_DIR"/*.so "$STAGE/lib/mariadb/plugin/"
fi

# The C runtime: every library ldd names for the binary and the plugins, under the name the
# dynamic section asks for (the soname), the loader as lib/ld-linux-x86-64.so.2.
log "bundling the C runtime"
bundle_runtime_of() {
    local line name path
    while IFS= read -r line; do
        line=${line#"${line%%[![:space:]]*}"}
        case $line in
            *"not found"*) die "ldd $1: $line" ;;
            *linux-vdso* | *statically*) continue ;;
            *" => "/*) name=${line%% =>*}; path=${line#* => }; path=${path%% (*} ;;
            /*) path=${line%% (*}; name=${path##*/} ;;
            *) continue ;;
        esac
        name=${name//[[:space:]]/}
        path=${path//[[:space:]]/}
        [[ -e $STAGE/lib/$name ]] || install -m 0755 "$(readlink -f "$path")" "$STAGE/lib/$name"
    done < <(ldd "$1")
}
bundle_runtime_of "$STAGE/libexec/oms-upgrade"
for plugin in "$STAGE"/lib/mariadb/plugin/*.so; do
    [[ -e $plugin ]] && bundle_runtime_of "$plugin"
done
LOADER=$(compgen -G "$STAGE/lib/ld-linux-*.so.*" | head -1) || true
[[ -n $LOADER ]] || die "ldd named no dynamic loader for $BINARY"
# The bundled runtime alone must satisfy the binary: ask the bundled loader, without the host's cache.
if ! (cd "$STAGE" && env -i "lib/${LOADER##*/}" --library-path lib --inhibit-cache --list \
    libexec/oms-upgrade > "$SCRATCH/runtime-check.txt" 2>&1) || grep -v "=> $STAGE/lib/\|=> lib/\|ld-linux\|linux-vdso" \
    "$SCRATCH/runtime-check.txt" | grep -q .; then
    cat "$SCRATCH/runtime-check.txt" >&2
    die "the bundled runtime in lib/ does not satisfy libexec/oms-upgrade"
fi
log "bundled runtime: $(cd "$STAGE/lib" && find . -maxdepth 1 -type f -printf '%f ' | tr -s ' ')($(du -sh "$STAGE/lib" | cut -f1))"

"$STAGE/bin/oms-upgrade" --generate-completion-script bash > "$STAGE/share/bash-completion/completions/oms-upgrade"
"$STAGE/bin/oms-upgrade" --generate-completion-script zsh > "$STAGE/share/zsh/site-functions/_oms-upgrade"
"$STAGE/bin/oms-upgrade" --generate-completion-script fish > "$STAGE/share/fish/vendor_completions.d/oms-upgrade.fish"

# Man pages: swift-argument-parser's generate-manual tool (the engine of its generate-manual plugin,
# built offline from the package's own checkout), one page per command, from the staged binary's
# --experimental-dump-help. Running the tool directly spares the plugin's second whole-package build.
log "generating man pages"
swift build --scratch-path "$SCRATCH" --product generate-manual >&2
MAN_OUT=$SCRATCH/manual
rm -rf "$MAN_OUT"
mkdir -p "$MAN_OUT"
"$SCRATCH/debug/generate-manual" "$STAGE/bin/oms-upgrade" --multi-page --date "${OMS_BUILD_DATE%%T*}" \
    --authors "the oms-upgrade authors" --output-directory "$MAN_OUT" >&2
compgen -G "$MAN_OUT/*.1" > /dev/null || die "generate-manual wrote no page to $MAN_OUT"
install -m 0644 "$MAN_OUT"/*.1 "$STAGE/share/man/man1/"

install -m 0644 README.md VERSION "$STAGE/"
[[ -f LICENSE ]] && install -m 0644 LICENSE "$STAGE/"
(cd "$STAGE" && find . -type f | LC_ALL=C sort | sed 's|^\./||' | xargs sha256sum) > "$SCRATCH/SHA256SUMS"
mv "$SCRATCH/SHA256SUMS" "$STAGE/SHA256SUMS"

mkdir -p "$OUT_DIR"
TARBALL=$OUT_DIR/$NAME.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$OMS_BUILD_DATE" \
    -C "$SCRATCH/stage" -czf "$TARBALL.tmp" "$NAME"
mv "$TARBALL.tmp" "$TARBALL"
(cd "$OUT_DIR" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
for prefix in GLIBC_ GLIBCXX_ OPENSSL_; do
    log "newest $prefix symbol version needed (met by lib/): $(objdump -T "$STAGE/libexec/oms-upgrade" |
        grep -o "${prefix}[0-9.]*" | sort -uV | tail -1)"
done
log "tarball: $(du -h "$TARBALL" | cut -f1) ($(du -sh "$STAGE/lib" --exclude=mariadb | cut -f1) of it unpacked is the C runtime)"
if [[ $PACKAGES == true ]]; then
    packaging/build-packages.sh "$STAGE" "$OUT_DIR" "$VERSION" "$ARCH"
fi
echo "$TARBALL"
