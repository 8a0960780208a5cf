//! The standard rules are kept in the canonical style: `lacuna fmt --check rules/` passes.

use std::fs;
use std::path::Path;

#[test]
fn standard_rules_are_formatted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut checked = 0;
    for (name, text) in lacuna::STANDARD_RULES {
        let on_disk = fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert_eq!(on_disk, *text, "{name}: the embedded copy is stale");
        let (ast, errors) = lacuna_syntax::parse(text);
        assert!(errors.is_empty(), "{name} does not parse: {errors:?}");
        let formatted = lacuna_syntax::format(&ast, text);
        assert!(
            formatted == *text,
            "{name} is not in the canonical style: run `cargo run -- fmt rules/`"
        );
        checked += 1;
    }
    assert!(
        checked >= 9,
        "only {checked} standard rule files are embedded"
    );
}
