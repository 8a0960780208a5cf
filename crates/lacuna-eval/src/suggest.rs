//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `name`, when it is close enough to be a likely
/// typo: at most one edit (a transposition counts as one) per three
/// characters. Ties go to the earlier candidate, so callers list candidates
/// in a meaningful order (declaration order, innermost variable first).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = strsim::damerau_levenshtein(name, candidate);
        let limit = (name.len().max(candidate.len()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `did you mean `x`?`, when some candidate is close.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_transpositions_and_small_typos() {
        let fields = ["kind", "un_system", "field_presence", "roles"];
        assert_eq!(closest("feild_presence", fields), Some("field_presence"));
        assert_eq!(closest("role", fields), Some("roles"));
        assert_eq!(closest("mandate", fields), None);
    }

    #[test]
    fn prefers_the_earlier_of_equal_candidates() {
        assert_eq!(closest("ab", ["aa", "bb"]), Some("aa"));
    }
}
