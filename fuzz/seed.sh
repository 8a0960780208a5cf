#!/bin/sh
# Copies the repository's fixtures into the seed corpora of the fuzz targets:
# `.norm` files (fixtures and standard rules) for `parse`, `.toml` files for
# `load_toml` and `check`, `.json` files for `load_json`. The corpora are
# git-ignored; run this before the first fuzzing run, and again after adding
# fixtures. Files are named by content, so running it twice adds nothing.
set -eu

fuzz_dir=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz_dir")

seed() {
    target=$1
    shift
    dir="$fuzz_dir/corpus/$target"
    mkdir -p "$dir"
    find "$@" -type f -exec sh -c '
        dir=$1
        shift
        for file; do
            cp "$file" "$dir/$(sha1sum < "$file" | cut -c1-40)"
        done
    ' sh "$dir" {} +
    echo "$target: $(find "$dir" -type f | wc -l) inputs"
}

# `render` reads its first byte as the kind of the rest: 0 TOML, 1 JSON, 2 a
# rule file. Its seeds are the fixtures behind the byte of their kind.
seed_render() {
    byte=$1
    shift
    dir="$fuzz_dir/corpus/render"
    mkdir -p "$dir"
    find "$@" -type f | while IFS= read -r file; do
        tmp="$dir/.seed"
        { printf "\\$byte"; cat "$file"; } > "$tmp"
        mv "$tmp" "$dir/$(sha1sum < "$tmp" | cut -c1-40)"
    done
}

# `lsp_reader` reads framed messages; its seed is a short session.
seed_lsp() {
    dir="$fuzz_dir/corpus/lsp_reader"
    mkdir -p "$dir"
    tmp="$dir/.seed"
    : > "$tmp"
    for body in \
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}' \
        '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.toml","languageId":"toml","version":1,"text":"[proposal]\\ntitle = \\"t\\"\\n"}}}' \
        '{"jsonrpc":"2.0","id":2,"method":"shutdown"}' \
        '{"jsonrpc":"2.0","method":"exit"}'; do
        printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body" >> "$tmp"
    done
    mv "$tmp" "$dir/$(sha1sum < "$tmp" | cut -c1-40)"
    echo "lsp_reader: $(find "$dir" -type f | wc -l) inputs"
}

seed parse "$root/fixtures" "$root/rules" -name '*.norm'
seed load_toml "$root/fixtures" -name '*.toml'
seed check "$root/fixtures" -name '*.toml'
seed load_json "$root/fixtures" -name '*.json'
seed_render 000 "$root/fixtures" -name '*.toml'
seed_render 001 "$root/fixtures" -name '*.json'
seed_render 002 "$root/fixtures" "$root/rules" -name '*.norm'
echo "render: $(find "$root/fuzz/corpus/render" -type f | wc -l) inputs"
seed_lsp
