#!/usr/bin/env bash
# Sourced by the deploy-pi tests: find_mirror prints the Debian mirrors this machine's apt uses for $suite.
# Debian mirror: the first deb URI serving the suite itself (not -updates/-security).
find_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v suite="$suite" 'BEGIN{RS=""; FS="\n"}
            { types=""; uris=""; suites=""
              for (i = 1; i <= NF; i++) {
                  if ($i ~ /^Types:/)  types = $i
                  if ($i ~ /^URIs:/)   uris = $i
                  if ($i ~ /^Suites:/) suites = $i }
              if (types ~ /[ \t]deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]")) {
                  sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); print u[1]; exit } }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -nE "s/^deb[ \t]+(\[[^]]*\][ \t]+)?([^ \t]+)[ \t]+${suite}[ \t].*/\2/p" "$f"
    done
}
