//! Embeds the standard rule files of `rules/` in the library, so the binary
//! works from any directory without the repository beside it.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let rules = Path::new(&manifest).join("../../rules");
    println!("cargo:rerun-if-changed={}", rules.display());

    let mut names: Vec<String> = fs::read_dir(&rules)
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| name.ends_with(".norm"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();

    let mut code = String::from("/// The standard rule files, by name, in file-name order.\n");
    code.push_str("pub const STANDARD_RULES: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = rules.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");

    let out = env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned());
    if let Err(err) = fs::write(Path::new(&out).join("embedded_rules.rs"), code) {
        println!("cargo:warning=cannot write the embedded rule list: {err}");
        std::process::exit(1);
    }
}
