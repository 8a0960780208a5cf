//! "Did you mean" suggestions and small English helpers for messages.

/// The candidate closest to `name`, when one is close enough to be a likely typo.
///
/// Case is ignored first (`unhcr` finds `UNHCR`); otherwise the optimal string
/// alignment distance (which counts a swap of two neighbours as one edit, as in
/// `UNHRC`) must be at most a third of the name's length, and at least 1 for
/// names of three characters or more.
/// Ties go to the earliest candidate, so the answer is deterministic.
pub(crate) fn did_you_mean<'c, I>(name: &str, candidates: I) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    let lower = name.to_lowercase();
    let len = name.chars().count();
    let limit = if len < 3 { 0 } else { (len / 3).max(1) };
    let mut best: Option<(usize, &'c str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            strsim::osa_distance(&lower, &candidate.to_lowercase())
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean `x`?` for the closest candidate.
pub(crate) fn did_you_mean_help<'c, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'c str>,
{
    did_you_mean(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Lists names in backticks: "`a`, `b` or `c`", eliding after `max`.
pub(crate) fn one_of<'c, I>(names: I, max: usize) -> String
where
    I: IntoIterator<Item = &'c str>,
{
    let all: Vec<&str> = names.into_iter().collect();
    let shown: Vec<String> = all.iter().take(max).map(|n| format!("`{n}`")).collect();
    let rest = all.len().saturating_sub(max);
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        match shown.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, init)) => format!("{} or {last}", init.join(", ")),
            None => String::new(),
        }
    }
}

/// `a` or `an`, by the first letter of an identifier.
pub(crate) fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_transpositions_and_case() {
        assert_eq!(did_you_mean("UNHRC", ["UNHCR", "IOM"]), Some("UNHCR"));
        assert_eq!(did_you_mean("unhcr", ["IOM", "UNHCR"]), Some("UNHCR"));
        assert_eq!(
            did_you_mean("refugess", ["refugees", "survival"]),
            Some("refugees")
        );
        assert_eq!(did_you_mean("xyz", ["refugees", "survival"]), None);
        assert_eq!(did_you_mean("a", ["b"]), None);
        assert_eq!(did_you_mean("a", ["A"]), Some("A"));
    }

    #[test]
    fn lists_names() {
        assert_eq!(one_of(["a"], 5), "`a`");
        assert_eq!(one_of(["a", "b", "c"], 5), "`a`, `b` or `c`");
        assert_eq!(one_of(["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert_eq!(article("actor"), "an");
        assert_eq!(article("forum"), "a");
    }
}
