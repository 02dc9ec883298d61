#!/bin/sh
# bin/oms-upgrade of the release: starts the real binary (../libexec/oms-upgrade) through the C
# runtime the release carries (../lib: its glibc loader, libc, libstdc++, OpenSSL, zlib), so the
# host's C library, whatever its version, is never used by the tool itself. The loader's
# --library-path applies to this one process only: nothing is exported that the programs the tool
# starts (docker, mysqldump) would inherit, except OMS_UPGRADE_EXECUTABLE, which the tool reads and
# removes from its environment first thing (it locates ../lib/mariadb/plugin from it, since
# /proc/self/exe is the loader).
#
# POSIX sh; needs only readlink (coreutils or busybox) when started through a symlink.
self=$0
case $self in
*/*) ;;
*) self=$(command -v -- "$self") || { echo "oms-upgrade: cannot find myself ($0)" >&2; exit 127; } ;;
esac
while [ -h "$self" ]; do
    link=$(readlink "$self") || { echo "oms-upgrade: cannot read the link $self" >&2; exit 127; }
    case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
    esac
done
root=$(cd -P -- "${self%/*}/.." && pwd) || exit 127
case $root in
*:*) echo "oms-upgrade: the install directory $root holds a ':', which the loader's library path cannot: move it" >&2; exit 127 ;;
esac
# ld-linux-x86-64.so.2 on x86_64, ld-linux-aarch64.so.1 on aarch64: the one loader the release carries.
for loader in "$root"/lib/ld-linux*.so.*; do break; done
OMS_UPGRADE_EXECUTABLE=$root/libexec/oms-upgrade
export OMS_UPGRADE_EXECUTABLE
exec "$loader" --library-path "$root/lib" "$OMS_UPGRADE_EXECUTABLE" "$@"
