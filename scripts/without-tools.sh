#!/usr/bin/env bash
# Runs a command on a PATH from which sox, ffmpeg, ffprobe, fpcalc and xmllint are hidden, as on
# a user's machine that never installed them: every other program on PATH stays reachable
# through links in a private directory.
#   bash scripts/without-tools.sh npm test
set -euo pipefail
hidden=(sox play rec soxi ffmpeg ffprobe ffplay fpcalc xmllint)
shadow=$(mktemp -d)
trap 'rm -rf "$shadow"' EXIT
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -d "$d" ] || continue
  for f in "$d"/*; do
    name=${f##*/}
    [ -x "$f" ] && [ ! -d "$f" ] || continue
    [ -e "$shadow/$name" ] && continue
    for h in "${hidden[@]}"; do [ "$name" = "$h" ] && continue 2; done
    ln -s "$f" "$shadow/$name"
  done
done
for h in "${hidden[@]}"; do
  if PATH="$shadow" command -v "$h" >/dev/null 2>&1; then echo "without-tools: $h is still reachable" >&2; exit 1; fi
done
echo "without-tools: ${hidden[*]} hidden from PATH" >&2
PATH="$shadow" "$@"
