//! The `lacuna` command line.

fn main() {}
