//! "Did you mean" suggestions for misspelt keys, severities and selectors.

/// The candidate nearest to `name`, when it is near enough to be a typo.
///
/// The distance is the optimal string alignment distance (a swap of two
/// neighbours counts as one edit), compared case-insensitively, and `_` is
/// read as `-` so that `extend_select` finds `extend-select`. It may be at
/// most a third of the name's length, and at least one edit for names of
/// three characters or more. Ties go to the first candidate in order.
pub(crate) fn did_you_mean<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let normal = |s: &str| s.to_lowercase().replace('_', "-");
    let wanted = normal(name);
    let limit = match name.chars().count() {
        0..3 => 0,
        n => (n / 3).max(1),
    };
    let mut best: Option<(usize, &'c str)> = None;
    for &candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = strsim::osa_distance(&wanted, &normal(candidate));
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    if let Some((_, candidate)) = best {
        return Some(candidate);
    }
    // A truncated name (`warn` for `warning`) is too far by edits but plain
    // to a reader.
    if limit > 0 {
        return candidates
            .iter()
            .copied()
            .find(|c| normal(c).starts_with(&wanted));
    }
    None
}

/// Lists names in backticks: "`a`, `b` and `c`".
pub(crate) fn all_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} and {last}", init.join(", ")),
        None => String::new(),
    }
}
