//! Loads a proposal against `rules/schema.norm` and reports its size, or
//! writes a generated one.
//!
//! ```text
//! cargo run --release -p lacuna-model --example load -- PROPOSAL.toml
//! cargo run --release -p lacuna-model --example load -- --generate 100000 SEED OUT.toml
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use lacuna_model::{Format, SourceId, build_schema, generate, load};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/schema.norm");
    let Ok(schema_text) = std::fs::read_to_string(&schema_path) else {
        eprintln!("cannot read {}", schema_path.display());
        return ExitCode::from(2);
    };
    let (ast, syntax) = lacuna_syntax::parse(&schema_text);
    let (schema, errors) = build_schema(&[(SourceId(0), &ast)]);
    if !syntax.is_empty() || !errors.is_empty() {
        eprintln!("{} has errors", schema_path.display());
        return ExitCode::from(2);
    }
    match args.as_slice() {
        [flag, entities, seed, out] if flag == "--generate" => {
            let (Ok(entities), Ok(seed)) = (entities.parse(), seed.parse()) else {
                eprintln!("usage: load --generate ENTITIES SEED OUT");
                return ExitCode::from(2);
            };
            let Some(format) = Format::from_path(Path::new(out)) else {
                eprintln!("{out}: expected a .toml or .json file");
                return ExitCode::from(2);
            };
            let text = generate::proposal(&schema, entities, seed, format);
            if let Err(e) = std::fs::write(out, text) {
                eprintln!("{out}: {e}");
                return ExitCode::from(2);
            }
            ExitCode::SUCCESS
        }
        [path] => {
            let Some(format) = Format::from_path(Path::new(path)) else {
                eprintln!("{path}: expected a .toml or .json file");
                return ExitCode::from(2);
            };
            let text = match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    return ExitCode::from(2);
                }
            };
            let start = Instant::now();
            let (facts, errors) = load(&schema, SourceId(1), &text, format);
            let elapsed = start.elapsed();
            println!(
                "{path}: {} bytes, {} entities, {} strings, {} errors, loaded in {:.3} s",
                text.len(),
                facts.len(),
                facts.strings.len(),
                errors.len(),
                elapsed.as_secs_f64()
            );
            if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        _ => {
            eprintln!("usage: load PROPOSAL | load --generate ENTITIES SEED OUT");
            ExitCode::from(2)
        }
    }
}
