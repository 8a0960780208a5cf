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

seed parse "$root/fixtures" "$root/rules" -name '*.norm'
seed load_toml "$root/fixtures" -name '*.toml'
seed check "$root/fixtures" -name '*.toml'
seed load_json "$root/fixtures" -name '*.json'
