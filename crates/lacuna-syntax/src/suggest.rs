//! "Did you mean" guesses and the small English helpers of messages.
//!
//! Every stage that names a misspelt word (the parser, the loader, the rule
//! checker, the configuration reader, `explain`, `[[allow]]` entries) asks
//! [`closest`], so the same typo gets the same guess wherever it is made, and
//! the fix that goes with the guess replaces it with the same word.

/// The candidate closest to `name`, when it is close enough to be a slip of
/// the keyboard rather than a different word.
///
/// Names are compared case-insensitively, with `_` read as `-` (so
/// `extend_select` finds `extend-select`), by optimal string alignment
/// distance, where a swap of two neighbours (`UNHRC`) counts as one edit. The
/// distance may be at most a third of the name's length, and at least one
/// edit for names of three characters or more; shorter names match only up
/// to case. A truncated name (`warn` for `warning`) is too far by edits but
/// plain to a reader, so a candidate that completes a name of four
/// characters or more with letters only is taken when nothing is near (not
/// `forum.permanent` for `forum`, which names an area). Ties go to the earlier candidate: callers list
/// candidates in a meaningful order (declaration order, innermost first).
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let normal = |s: &str| s.to_lowercase().replace('_', "-");
    let wanted = normal(name);
    let limit = match name.chars().count() {
        0..3 => 0,
        n => (n / 3).max(1),
    };
    let mut best: Option<(usize, &'c str)> = None;
    let mut prefixed: Option<&'c str> = None;
    let truncated = name.chars().count() >= 4;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let other = normal(candidate);
        let distance = strsim::osa_distance(&wanted, &other);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
        let completes = other
            .strip_prefix(&wanted)
            .is_some_and(|rest| rest.chars().all(char::is_alphanumeric));
        if truncated && prefixed.is_none() && completes {
            prefixed = Some(candidate);
        }
    }
    best.map(|(_, c)| c).or(prefixed)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// The name a help text from [`did_you_mean`] guesses: `x` in
/// "did you mean `x`?". Diagnostics that keep only the help use it to build
/// the rename that goes with the guess, so the two never disagree.
pub fn guessed(help: &str) -> Option<&str> {
    help.strip_prefix("did you mean `")?.strip_suffix("`?")
}

/// Names in backticks joined with "or": "`a`, `b` or `c`", naming at most
/// `max` and counting the rest ("`a`, `b` and 3 more").
pub fn one_of<'c>(names: impl IntoIterator<Item = &'c str>, max: usize) -> String {
    join(names, max, "or")
}

/// Names in backticks joined with "and": "`a`, `b` and `c`".
pub fn all_of<'c>(names: impl IntoIterator<Item = &'c str>) -> String {
    join(names, usize::MAX, "and")
}

fn join<'c>(names: impl IntoIterator<Item = &'c str>, max: usize, word: &str) -> String {
    let all: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = all.iter().take(max).map(|n| format!("`{n}`")).collect();
    let rest = all.len().saturating_sub(max);
    if rest > 0 {
        return format!("{} and {rest} more", shown.join(", "));
    }
    match shown.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} {word} {last}", init.join(", ")),
        None => String::new(),
    }
}

/// `a` or `an`, by the first letter of an identifier.
pub fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// "1 finding", "2 findings": the count and the word in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_slips_of_the_keyboard() {
        assert_eq!(closest("UNHRC", ["UNHCR", "IOM"]), Some("UNHCR"));
        assert_eq!(closest("unhcr", ["IOM", "UNHCR"]), Some("UNHCR"));
        assert_eq!(closest("eror", ["error", "warning", "info"]), Some("error"));
        assert_eq!(closest("requre", ["require", "help"]), Some("require"));
        assert_eq!(
            closest("feild_presence", ["kind", "field_presence"]),
            Some("field_presence")
        );
        assert_eq!(
            closest("extend_select", ["select", "extend-select"]),
            Some("extend-select")
        );
        assert_eq!(closest("warn", ["error", "warning"]), Some("warning"));
        assert_eq!(closest("in", ["on"]), None);
        assert_eq!(closest("forum", ["forum.permanent"]), None);
        assert_eq!(closest("a", ["A"]), Some("A"));
        assert_eq!(closest("xyz", ["refugees", "survival"]), None);
        assert_eq!(closest("mandate", ["kind", "roles"]), None);
    }

    #[test]
    fn the_guess_is_read_back_from_the_help() {
        let help = did_you_mean("eror", ["error"]).unwrap();
        assert_eq!(guessed(&help), Some("error"));
        assert_eq!(guessed("declare it first"), None);
    }

    #[test]
    fn ties_go_to_the_earlier_candidate() {
        assert_eq!(closest("abcd", ["abce", "abcf"]), Some("abce"));
    }

    #[test]
    fn lists_names() {
        assert_eq!(one_of(["a"], 5), "`a`");
        assert_eq!(one_of(["a", "b", "c"], 5), "`a`, `b` or `c`");
        assert_eq!(one_of(["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert_eq!(all_of(["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(all_of([]), "");
        assert_eq!(article("actor"), "an");
        assert_eq!(article("forum"), "a");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(0, "file", "files"), "0 files");
    }
}
