#!/bin/sh
# Remakes the before/after pair shown in the README: page 3 of the sample issue set by
# WeasyPrint's own line rules, then by bulletin's Chinese ones. Run from the repository root.
set -eu
tmp=$(mktemp -d)
.venv/bin/bulletin build content/2024-08 --stock-engine -o "$tmp/stock.pdf"
.venv/bin/bulletin build content/2024-08 -o "$tmp/clreq.pdf"
for name in stock clreq; do
  pdftoppm -r 110 -f 3 -l 3 -x 60 -y 578 -W 860 -H 300 -png -singlefile \
    "$tmp/$name.pdf" "layouts/default/previews/page-3-$name"
done
rm -r "$tmp"
