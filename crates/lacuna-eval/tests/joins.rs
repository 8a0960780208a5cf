//! Joins whose keys many entities share: a quantifier with two `==`
//! conditions on its variable narrows its members by both indexes, and
//! must find what the reference evaluator finds, at every level of detail.
//! The generated proposals put enough entities under one key to take that
//! path, which the small random cases of `agreement.rs` rarely do.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fmt::Write as _;

use lacuna_eval::{Detail, Evaluator, check_rules};
use lacuna_model::{Format, SourceId, load};

const SCHEMA: &str = r#"
enum duty { guard, feed, tally, mend }

entity team {
  size: int = 0
}

entity worker {
  team: team
  duty: duty
  shift: int = 0
  backup: worker?
}

entity post {
  teams: [team] = []
  duties: [duty] = []
  staff: [worker] = []
}
"#;

const NORMS: &str = r#"
norm same.duty.covered {
  for w in worker
  require all o in worker where o.team == w.team and o.duty == w.duty and o != w:
    any p in post where w.team in p.teams: o in p.staff and w in p.staff
  else "`{w}` shares a duty with no common post"
}

norm partner {
  for w in worker
  require any o in worker where o.duty == w.duty and o.team == w.team and o.shift != w.shift
  else "`{w}` has no partner on another shift"
}

norm crowded {
  for w in worker
  require count(o in worker where o.team == w.team and o.duty == guard) < 4
  else "`{w}` is in a crowded team"
}

norm backup.nearby {
  for w in worker where w has backup
  require none o in worker where o.team == w.backup.team and o.duty == w.duty and o.shift > 2
  else "`{w}` has a late backup team"
}
"#;

/// A proposal of `teams` teams and `workers` workers, spread unevenly so
/// that some keys hold many workers and some none.
fn proposal(teams: usize, workers: usize, posts: usize) -> String {
    let duties = ["guard", "feed", "tally", "mend"];
    let mut out = String::new();
    for t in 0..teams {
        writeln!(out, "[team.t{t}]\nsize = {}\n", t % 5).unwrap();
    }
    for w in 0..workers {
        let team = (w * w + 3 * w) % teams.max(1);
        let duty = duties[(w / 3 + w % 2) % duties.len()];
        writeln!(
            out,
            "[worker.w{w}]\nteam = \"t{team}\"\nduty = \"{duty}\"\nshift = {}",
            w % 4
        )
        .unwrap();
        if w % 3 == 0 {
            writeln!(out, "backup = \"w{}\"", (w * 7 + 1) % workers).unwrap();
        }
        out.push('\n');
    }
    for p in 0..posts {
        writeln!(
            out,
            "[post.p{p}]\nteams = [\"t{}\", \"t{}\"]\nduties = [\"{}\"]\nstaff = [\"w{}\", \"w{}\", \"w{}\"]\n",
            p % teams,
            (p * 3 + 1) % teams,
            duties[p % duties.len()],
            (p * 5) % workers,
            (p * 11 + 2) % workers,
            (p * 13 + 7) % workers,
        )
        .unwrap();
    }
    out
}

#[test]
fn joins_agree_with_the_reference() {
    let schema_ast = support::parse("schema.norm", SCHEMA);
    let norms_ast = support::parse("norms.norm", NORMS);
    let files = [(SourceId(0), &schema_ast), (SourceId(1), &norms_ast)];
    let schema = support::schema(&files);
    let (program, errors) = check_rules(&schema, &files);
    assert!(errors.is_empty(), "{errors:?}");
    for (teams, workers, posts) in [(1, 12, 3), (3, 40, 10), (7, 200, 30), (40, 300, 60)] {
        let text = proposal(teams, workers, posts);
        let (facts, errors) = load(&schema, SourceId(2), &text, Format::Toml);
        assert!(errors.is_empty(), "{errors:?}");
        let reference = lacuna_eval::reference::evaluate(&program, &schema, &facts);
        assert!(
            !reference.is_empty(),
            "{teams} teams: no findings to compare"
        );
        let evaluator = Evaluator::new(&program, &schema, &facts);
        assert_eq!(evaluator.findings(), reference, "{teams} teams");
        // Once the indexes are built, again and without evidence.
        let bare = evaluator.findings_with(Detail::Messages);
        let stripped: Vec<_> = reference
            .iter()
            .cloned()
            .map(|mut f| {
                f.evidence.clear();
                f
            })
            .collect();
        assert_eq!(bare, stripped, "{teams} teams");
        assert_eq!(evaluator.findings(), reference, "{teams} teams");
    }
}
