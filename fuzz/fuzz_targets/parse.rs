//! The parser and the formatter on arbitrary bytes.
//!
//! Asserts that parsing never panics, that every error and every node of the
//! tree points into the text, that no tree is deeper than the nesting limit,
//! and that formatting never panics. For a text that parses without errors
//! it also asserts the formatter's contract: the formatted text parses
//! without errors to the same tree with the same comments, and formatting it
//! again changes nothing.

#![no_main]

use lacuna_fuzz::{assert_diagnostic, assert_span, assert_tree};
use lacuna_syntax::{format, parse, parse_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (ast, errors) = parse_bytes(data);
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(errors.len(), 1, "invalid UTF-8 is one error");
        assert!(ast.items.is_empty() && ast.comments.is_empty());
        return;
    };
    for error in &errors {
        assert_span(text, error.span(), error);
        for (span, _) in error.related() {
            assert_span(text, span, error);
        }
        assert_diagnostic(text, error);
    }
    assert!(
        errors.is_sorted_by_key(|e| e.span().start),
        "errors are not sorted by position"
    );
    assert_tree(text, &ast);

    let formatted = format(&ast, text);
    if !errors.is_empty() {
        return;
    }
    let (again, errors) = parse(&formatted);
    assert!(
        errors.is_empty(),
        "the formatted text does not parse: {errors:?}\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    assert_eq!(
        again.without_spans(),
        ast.without_spans(),
        "the formatted text means something else\n--- input\n{text}\n--- formatted\n{formatted}"
    );
    let twice = format(&again, &formatted);
    assert_eq!(
        twice, formatted,
        "formatting is not idempotent\n--- input\n{text}"
    );
});
