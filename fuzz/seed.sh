#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the import fixtures and a few hand-written values.
# libFuzzer grows these folders as it runs; they are not committed (see .gitignore).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../tests/fixtures"
corpus="$here/corpus"
mkdir -p "$corpus/csv_import" "$corpus/vcard_import" "$corpus/dates" "$corpus/phones"
for f in "$fixtures"/import/*.csv "$fixtures"/import/*.txt "$fixtures"/hostile/*.csv; do
    [ -f "$f" ] && cp "$f" "$corpus/csv_import/"
done
for f in "$fixtures"/import/*.vcf "$fixtures"/hostile/*.vcf; do
    [ -f "$f" ] && cp "$f" "$corpus/vcard_import/"
done
i=0
for d in 1980-07-04 --12-01 --1201 12-01 19800704 7/4/1980 20/01/1991 04.07.1980 0/0/00 \
    "22 Dec 2025" "December 1, 1980" "Dec 1, 1980" "1 December 1980" 2000-02-29 --02-29 1/2/03; do
    printf '%s' "$d" > "$corpus/dates/seed$i"
    i=$((i + 1))
done
# Phones: the first byte picks the region (see fuzz_targets/phones.rs), 0 = GB, 1 = US, 2 = DE.
i=0
for p in "\000+44 7911 123456" "\00007911 123456" "\001(415) 555-2671" "\000ext. 12" \
    "\002030 1234567" "\001+1-800-FLOWERS" "\000tel:+44-20-7946-0018" "\0010044 20 7946 0018;ext=12"; do
    printf "$p" > "$corpus/phones/seed$i"
    i=$((i + 1))
done
echo "seeded $corpus"
