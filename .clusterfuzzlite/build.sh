#!/bin/bash -eu
# Builds every cargo-fuzz target of fuzz/ into $OUT, each with its seed corpus
# (fuzz/seed-corpus/TARGET, from the conformance vectors) as TARGET_seed_corpus.zip.
# The base image's cargo wrapper supplies the sanitizer and coverage flags.
cd "$SRC/ecs-snapshot-rules"
cargo fuzz build -O
release=fuzz/target/x86_64-unknown-linux-gnu/release
for target in $(cargo fuzz list); do
    cp "$release/$target" "$OUT/"
    if [ -d "fuzz/seed-corpus/$target" ]; then
        (cd "fuzz/seed-corpus/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
    fi
done
