#!/usr/bin/env bash
# Vendor DKFDS (Det Fælles Designsystem) from the npm registry into os2hub/static/dkfds.
# Usage: scripts/update-dkfds.sh [VERSION]   (default: the version in os2hub/static/dkfds/VERSION)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/os2hub/static/dkfds"
version=${1:-$(cat "$dest/VERSION" 2>/dev/null || echo 11.2.0)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "dkfds@$version" >/dev/null && tar xzf dkfds-*.tgz)
dist="$work/package/dist"
rm -rf "$dest"
mkdir -p "$dest/css" "$dest/js" "$dest/fonts/IBMPlexSans"
cp "$dist/css/dkfds.min.css" "$dist/css/dkfds.min.css.map" "$dest/css/"
cp "$dist/js/dkfds.min.js" "$dest/js/"
cp -r "$dist/fonts/IBMPlexSans/complete" "$dest/fonts/IBMPlexSans/"
cp -r "$dist/img" "$dest/img"
cp "$dist/LICENSE.md" "$dest/LICENSE.md"
# The minified JS points at a source map the package ships but we do not vendor.
sed -i 's|//# sourceMappingURL=dkfds.min.js.map||' "$dest/js/dkfds.min.js"
echo "$version" > "$dest/VERSION"
echo "DKFDS $version vendored into $dest"

# htmx (BSD-2-Clause, also from the npm registry), vendored the same way.
htmx_version=${HTMX_VERSION:-2.0.11}
(cd "$work" && npm pack --silent "htmx.org@$htmx_version" >/dev/null && mkdir htmx && tar xzf htmx.org-*.tgz -C htmx)
cp "$work/htmx/package/dist/htmx.min.js" "$here/os2hub/static/os2hub/htmx.min.js"
cp "$work/htmx/package/LICENSE" "$here/os2hub/static/os2hub/htmx.LICENSE"
echo "htmx $htmx_version vendored"
