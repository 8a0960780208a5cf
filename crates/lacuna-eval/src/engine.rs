//! What both evaluators share: the walk over norms and subjects, templates,
//! findings, and the explanation of a verdict as evidence.
//!
//! An evaluator only answers questions about values: what an expression
//! evaluates to, which members of a quantifier's collection match, which
//! come closest. How it answers (index lookups, or nested loops) is its own
//! business; everything built from the answers lives here, so the two
//! evaluators can only differ in the answers.

use std::sync::Arc;

use rayon::prelude::*;

use lacuna_model::{EntityRef, Facts, KindId, Schema};
use lacuna_syntax::Span;
use lacuna_syntax::ast::QuantKind;

use crate::diagnostic::{Code, Detail, Diagnostic, Evidence, NormMeta, Subject};
use crate::program::write_conjuncts;
use crate::program::{
    CmpOp, Collection, Comp, Expr, ExprKind, LetBinding, Norm, Program, Quant, Template,
    TemplatePart, Ty,
};
use crate::value::{Names, Txt, Val, write_code, write_plain};

mod words;

/// At most this many members are shown for one quantifier or count.
pub(crate) const MEMBERS_SHOWN: usize = 3;
/// At most this many pieces of evidence are attached to one finding.
pub(crate) const MAX_EVIDENCE: usize = 10;

/// What evaluation reads: the program, the schema and one proposal.
pub(crate) struct Ctx<'f> {
    pub program: &'f Program,
    pub schema: &'f Schema,
    pub facts: &'f Facts,
    /// Each text literal of the program as a text of this proposal.
    lits: Vec<Txt>,
}

impl<'f> Ctx<'f> {
    pub(crate) fn new(program: &'f Program, schema: &'f Schema, facts: &'f Facts) -> Ctx<'f> {
        let lits = program
            .texts
            .iter()
            .enumerate()
            .map(|(i, t)| match facts.strings.get(t) {
                Some(sym) => Txt::Sym(sym),
                None => Txt::Lit(crate::program::TextId(i as u32)),
            })
            .collect();
        Ctx {
            program,
            schema,
            facts,
            lits,
        }
    }

    pub(crate) fn text(&self, id: crate::program::TextId) -> Val<'f> {
        Val::Text(
            self.lits
                .get(id.0 as usize)
                .copied()
                .unwrap_or(Txt::Lit(id)),
        )
    }

    pub(crate) fn names(&self) -> Names<'f> {
        Names {
            program: self.program,
            schema: self.schema,
            facts: self.facts,
        }
    }
}

/// The values of a norm's variables, by slot.
pub(crate) type Env<'f> = Vec<Val<'f>>;

pub(crate) fn bind<'f>(env: &mut Env<'f>, slot: u32, value: Val<'f>) {
    if let Some(s) = env.get_mut(slot as usize) {
        *s = value;
    }
}

pub(crate) fn read<'f>(env: &Env<'f>, slot: u32) -> Val<'f> {
    env.get(slot as usize).cloned().unwrap_or(Val::Absent)
}

/// A member of a quantifier's collection and its position there.
#[derive(Clone, Debug)]
pub(crate) struct Member<'f> {
    pub value: Val<'f>,
    pub position: u32,
}

/// Which members a question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Select {
    /// Every conjunct of filter and body holds.
    Matching,
    /// The filter holds and the body does not.
    Offending,
    /// The filter holds.
    Counted,
}

/// The questions an evaluator answers.
pub(crate) trait Engine<'f> {
    fn ctx(&self) -> &Ctx<'f>;

    fn eval(&self, e: &Expr, env: &mut Env<'f>) -> Val<'f>;

    /// The first `limit` members of the collection, in collection order, that
    /// `select` picks. The quantifier's variable is left bound to anything.
    fn select(
        &self,
        comp: &Comp,
        body: &[Expr],
        select: Select,
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>>;

    /// The `limit` members for which the most conjuncts of filter then body
    /// hold, at least one; best first, ties in collection order.
    fn near_misses(
        &self,
        comp: &Comp,
        body: &[Expr],
        env: &mut Env<'f>,
        limit: usize,
    ) -> Vec<Member<'f>>;
}

/// A subject that fails a norm, before its finding is built.
#[derive(Clone, Copy, Debug)]
struct Failure {
    /// Where the finding points: the start of the subject's header, or 0.
    start: u32,
    /// The rank of the norm's id among the ids of the program.
    rank: u32,
    subject: Option<EntityRef>,
    /// The norm's index in the program.
    norm: u32,
}

/// Runs every norm and returns the findings in a stable order: by position
/// of the primary span, norm id, then subject (all findings of one run share
/// the proposal).
///
/// A first pass only finds the failing subjects, as small records, and
/// sorts them; a second builds each finding, evidence and messages
/// included, straight into its place. Findings are large, so on a large
/// proposal building them in order is much cheaper than building them in
/// evaluation order and moving them into sorted order afterwards.
pub(crate) fn run<'f, E: Engine<'f> + Sync>(engine: &E, detail: Detail) -> Vec<Diagnostic> {
    let ctx = engine.ctx();
    let ranks = id_ranks(ctx.program);
    let units = units(ctx);
    let subjects: usize = units.iter().map(|u| u.subjects.len()).sum();
    let parallel = subjects >= PARALLEL_SUBJECTS && rayon::current_num_threads() > 1;
    let mut failures: Vec<Failure> = if parallel {
        units
            .par_iter()
            .flat_map_iter(|unit| failures_of(engine, unit, &ranks))
            .collect()
    } else {
        units
            .iter()
            .flat_map(|unit| failures_of(engine, unit, &ranks))
            .collect()
    };
    // The norm's index breaks ties, so the order is the same on every run,
    // on any number of threads.
    let order = |f: &Failure| (f.start, f.rank, f.subject, f.norm);
    if parallel {
        failures.par_sort_unstable_by_key(order);
    } else {
        failures.sort_unstable_by_key(order);
    }
    let shared = Shared::new(ctx.program, ctx.schema);
    let build = |state: &mut (Env<'f>, Scratch), failure: &Failure| {
        let (env, scratch) = state;
        build_finding(engine, &shared, failure, env, scratch, detail)
    };
    let mut findings = Vec::with_capacity(failures.len());
    if parallel && failures.len() >= PARALLEL_FINDINGS {
        // Written in place, in order: no copy of the findings is made.
        failures
            .par_iter()
            .with_min_len(PARALLEL_FINDINGS / 4)
            .map_init(|| (Vec::new(), Scratch::default()), build)
            .collect_into_vec(&mut findings);
    } else {
        let mut state = (Vec::new(), Scratch::default());
        findings.extend(failures.iter().map(|f| build(&mut state, f)));
    }
    findings
}

/// How many subjects a proposal needs, over all norms, before the norms are
/// evaluated on several threads: below it, starting threads costs more than
/// it saves.
const PARALLEL_SUBJECTS: usize = 16_384;
/// How many findings are built on several threads, at least.
const PARALLEL_FINDINGS: usize = 4_096;
/// How many subjects of one norm one thread takes at a time.
const UNIT_SUBJECTS: u32 = 4_096;

/// A share of the evaluation: one norm over a range of its subjects, or a
/// norm without subjects.
struct Unit {
    norm: u32,
    subjects: std::ops::Range<u32>,
}

/// The units of the evaluation, norm by norm and, within a norm, in source
/// order.
fn units(ctx: &Ctx<'_>) -> Vec<Unit> {
    let mut units = Vec::new();
    for (n, norm) in ctx.program.norms.iter().enumerate() {
        let norm_index = n as u32;
        match &norm.subject {
            Some(subject) => {
                let count = ctx.facts.entities(subject.kind).len() as u32;
                let mut start = 0;
                while start < count {
                    let end = count.min(start.saturating_add(UNIT_SUBJECTS));
                    units.push(Unit {
                        norm: norm_index,
                        subjects: start..end,
                    });
                    start = end;
                }
            }
            None => units.push(Unit {
                norm: norm_index,
                subjects: 0..0,
            }),
        }
    }
    units
}

/// The subjects of one unit that fail its norm, in source order.
fn failures_of<'f, E: Engine<'f>>(engine: &E, unit: &Unit, ranks: &[u32]) -> Vec<Failure> {
    let ctx = engine.ctx();
    let mut failures = Vec::new();
    let Some(norm) = ctx.program.norms.get(unit.norm as usize) else {
        return failures;
    };
    let mut env: Env<'f> = vec![Val::Absent; norm.slots as usize];
    let rank = ranks.get(unit.norm as usize).copied().unwrap_or(0);
    match &norm.subject {
        Some(subject) => {
            let entities = ctx.facts.entities(subject.kind);
            for index in unit.subjects.clone() {
                let Some(entity) = entities.get(index as usize) else {
                    break;
                };
                let r = EntityRef {
                    kind: subject.kind,
                    index,
                };
                bind(&mut env, subject.var.slot, Val::Ref(r));
                if let Some(filter) = &subject.filter
                    && !engine.eval(filter, &mut env).truth()
                {
                    continue;
                }
                if fails(engine, norm, &mut env) {
                    failures.push(Failure {
                        start: entity.span.start,
                        rank,
                        subject: Some(r),
                        norm: unit.norm,
                    });
                }
            }
        }
        None => {
            if fails(engine, norm, &mut env) {
                failures.push(Failure {
                    start: 0,
                    rank,
                    subject: None,
                    norm: unit.norm,
                });
            }
        }
    }
    failures
}

/// The finding of one failure, with `env` and `scratch` reused from the
/// finding before.
fn build_finding<'f, E: Engine<'f>>(
    engine: &E,
    shared: &Shared,
    failure: &Failure,
    env: &mut Env<'f>,
    scratch: &mut Scratch,
    detail: Detail,
) -> Diagnostic {
    let ctx = engine.ctx();
    let norm_index = failure.norm as usize;
    // Failures come from the program's norms, so the norm is always there.
    #[allow(clippy::indexing_slicing)]
    let norm = &ctx.program.norms[norm_index];
    env.clear();
    env.resize(norm.slots as usize, Val::Absent);
    if let (Some(clause), Some(r)) = (&norm.subject, failure.subject) {
        bind(env, clause.var.slot, Val::Ref(r));
    }
    bind_lets(engine, norm, env);
    let (id, meta) = shared.norm(norm_index, norm);
    let subject = failure
        .subject
        .map(|r| (r, shared.kind(ctx.schema, r.kind)));
    finding(engine, norm, (id, meta), subject, env, scratch, detail)
}

/// What the findings of one run share instead of copying: each norm's id
/// and metadata, each kind's name.
struct Shared {
    /// By the norm's index in the program.
    norms: Vec<(Arc<str>, Arc<NormMeta>)>,
    /// By kind id.
    kinds: Vec<Arc<str>>,
}

impl Shared {
    fn new(program: &Program, schema: &Schema) -> Shared {
        Shared {
            norms: program
                .norms
                .iter()
                .map(|norm| (Arc::from(norm.id.as_str()), Arc::new(norm_meta(norm))))
                .collect(),
            kinds: (0..schema.entities.len())
                .map(|k| Arc::from(crate::program::kind_name(schema, KindId(k as u32))))
                .collect(),
        }
    }

    fn norm(&self, index: usize, norm: &Norm) -> (Arc<str>, Arc<NormMeta>) {
        match self.norms.get(index) {
            Some((id, meta)) => (Arc::clone(id), Arc::clone(meta)),
            None => (Arc::from(norm.id.as_str()), Arc::new(norm_meta(norm))),
        }
    }

    fn kind(&self, schema: &Schema, kind: KindId) -> Arc<str> {
        match self.kinds.get(kind.0 as usize) {
            Some(name) => Arc::clone(name),
            None => Arc::from(crate::program::kind_name(schema, kind)),
        }
    }
}

/// What a finding reports of its norm besides the id.
fn norm_meta(norm: &Norm) -> NormMeta {
    NormMeta {
        origin: norm.origin,
        serves: norm.serves.clone(),
        perspective: norm.perspective.clone(),
        source: norm.source.clone(),
        tags: norm.tags.clone(),
    }
}

/// For each norm of the program, the rank of its id in the order of ids:
/// norms with the same id share a rank.
fn id_ranks(program: &Program) -> Vec<u32> {
    let mut ids: Vec<&str> = program.norms.iter().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    program
        .norms
        .iter()
        .map(|n| ids.binary_search(&n.id.as_str()).map_or(0, |i| i as u32))
        .collect()
}

fn bind_lets<'f, E: Engine<'f>>(engine: &E, norm: &Norm, env: &mut Env<'f>) {
    for l in &norm.lets {
        let value = engine.eval(&l.value, env);
        bind(env, l.var.slot, value);
    }
}

/// Whether the norm fails for the subject bound in `env` (or the whole
/// proposal).
pub(crate) fn fails<'f, E: Engine<'f>>(engine: &E, norm: &Norm, env: &mut Env<'f>) -> bool {
    bind_lets(engine, norm, env);
    !engine.eval(&norm.condition, env).truth()
}

/// The finding of a norm that fails for the subject bound in `env`, whose
/// `let`s are bound too: `shared` is the norm's id and metadata, `subject`
/// the entity with the name of its kind.
fn finding<'f, E: Engine<'f>>(
    engine: &E,
    norm: &Norm,
    shared: (Arc<str>, Arc<NormMeta>),
    subject: Option<(EntityRef, Arc<str>)>,
    env: &mut Env<'f>,
    scratch: &mut Scratch,
    detail: Detail,
) -> Diagnostic {
    let ctx = engine.ctx();
    // Evidence is most of the cost of a finding: near misses are searched
    // and every message is written. Only the formats that show it ask.
    let evidence = match detail {
        Detail::Full => {
            let mut explainer = Explainer {
                engine,
                lets: &norm.lets,
                out: Vec::new(),
                scratch: std::mem::take(scratch),
            };
            explainer.explain(&norm.condition, env, false);
            *scratch = explainer.scratch;
            explainer.out
        }
        Detail::Messages => Vec::new(),
    };

    let entity = subject.and_then(|(r, kind)| ctx.facts.entity(r).map(|e| (r, kind, e)));
    let message = match &norm.message {
        Some(t) => interpolate(engine, t, env, &mut scratch.template),
        None => match (norm.summary(), &entity) {
            (Some(s), _) => s.to_owned(),
            (None, Some((r, _, _))) => {
                format!(
                    "norm `{}` does not hold for `{}`",
                    norm.id,
                    ctx.facts.name(*r)
                )
            }
            (None, None) => format!("norm `{}` does not hold", norm.id),
        },
    };
    let help = norm
        .help
        .as_ref()
        .map(|t| interpolate(engine, t, env, &mut scratch.template));
    let name = entity
        .as_ref()
        .map(|(r, _, _)| ctx.facts.name(*r).into_owned());
    let (primary, primary_label) = match (&entity, &name) {
        (Some((_, _, e)), Some(name)) => {
            let mut label = String::with_capacity(name.len() + 16);
            label.push('`');
            label.push_str(name);
            label.push_str("` declared here");
            (ctx.facts.origin(e.span), label)
        }
        _ => (
            ctx.facts.origin(Span::empty(0)),
            "checked against the whole proposal".to_owned(),
        ),
    };
    let subject = entity.zip(name).map(|((r, kind, _), name)| Subject {
        entity: r,
        kind,
        name,
    });
    let (id, meta) = shared;
    Diagnostic {
        code: Code::Norm(id),
        severity: norm.severity,
        subject,
        message,
        help,
        primary,
        primary_label,
        evidence,
        meta: Some(meta),
        fixes: Vec::new(),
    }
}

/// The text of a template for the values bound in `env`, written into
/// `buffer` (kept from one finding to the next) and copied out at its final
/// size: the message is allocated once and holds no spare capacity.
fn interpolate<'f, E: Engine<'f>>(
    engine: &E,
    t: &Template,
    env: &mut Env<'f>,
    buffer: &mut String,
) -> String {
    let names = engine.ctx().names();
    buffer.clear();
    for part in &t.parts {
        match part {
            TemplatePart::Text(s) => buffer.push_str(s),
            TemplatePart::Hole(e) => write_plain(buffer, &engine.eval(e, env), &e.ty, &names),
        }
    }
    buffer.as_str().to_owned()
}

/// Where a value comes from in the proposal.
#[derive(Clone, Copy, Debug)]
struct Located<'f> {
    span: Span,
    how: How,
    /// For a written list, the span of each member.
    items: &'f [Span],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum How {
    /// The value as written.
    Written,
    /// The field is left out and its default applies: the span is the entity's header.
    Default,
    /// The optional field is left out: the span is the entity's header.
    Unset,
    /// The value is an entity: the span is its header.
    Entity,
}

/// Which operand of a comparison or membership a message locates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operand {
    Left,
    Right,
}

/// Buffers that messages are written into before they are copied, at
/// their final size, into the evidence: kept from one finding to the next,
/// they soon stop growing, so a piece of evidence costs one allocation.
#[derive(Default)]
struct Scratch {
    /// The message being written.
    message: String,
    /// A candidate explanation, before it is chosen for the message.
    candidate: String,
    /// The best candidate so far.
    best: String,
    /// The message being written for the reader of the proposal, beside
    /// [`Scratch::message`] for the author of the norm.
    reader: String,
    /// A finding's message or help, being interpolated.
    template: String,
}

/// The two texts of one piece of evidence, written side by side.
struct Messages {
    /// For the author of the norm, in terms of its expressions.
    author: String,
    /// For the reader of the proposal, in terms of its entities.
    reader: String,
}

/// Builds the evidence of one verdict.
///
/// Messages are written straight into a buffer of [`Scratch`]; the pieces
/// they are made of (names, values, expressions) are never strings of their
/// own.
struct Explainer<'e, E> {
    engine: &'e E,
    /// The norm's `let`s: a condition on a `let` is explained by its value.
    lets: &'e [LetBinding],
    out: Vec<Evidence>,
    scratch: Scratch,
}

impl<'e, 'f, E: Engine<'f>> Explainer<'e, E> {
    fn ctx(&self) -> &Ctx<'f> {
        self.engine.ctx()
    }

    /// Adds a piece of evidence with a copy of both messages, which are
    /// then cleared for the next.
    fn push(&mut self, span: Span, message: &mut Messages) {
        if self.out.len() < MAX_EVIDENCE {
            let origin = self.ctx().facts.origin(span);
            self.out.push(Evidence {
                origin,
                message: message.reader.as_str().to_owned(),
                expr_message: Some(message.author.as_str().to_owned()),
            });
        }
        message.reader.clear();
        message.author.clear();
    }

    /// The message buffers, empty; give them back with [`Explainer::restore`].
    fn message(&mut self) -> Messages {
        let mut author = std::mem::take(&mut self.scratch.message);
        author.clear();
        let mut reader = std::mem::take(&mut self.scratch.reader);
        reader.clear();
        Messages { author, reader }
    }

    fn restore(&mut self, message: Messages) {
        self.scratch.message = message.author;
        self.scratch.reader = message.reader;
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_EVIDENCE
    }

    /// The expression a `let` variable stands for: every binding of a norm
    /// has a slot of its own, so a variable in a `let`'s slot is that `let`.
    /// Evaluating the value again gives the value bound, since it reads only
    /// the subject and earlier `let`s.
    fn resolve<'x>(&self, e: &'x Expr) -> &'x Expr
    where
        'e: 'x,
    {
        match &e.kind {
            ExprKind::Var(v) => self
                .lets
                .iter()
                .find(|l| l.var.slot == v.slot)
                .map_or(e, |l| &l.value),
            _ => e,
        }
    }

    /// Explains why `e` evaluates to `holds`.
    fn explain(&mut self, e: &Expr, env: &mut Env<'f>, holds: bool) {
        if self.full() {
            return;
        }
        let e = self.resolve(e);
        match &e.kind {
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                if is_and == holds {
                    // Every operand shares the verdict: explain each.
                    self.explain(a, env, holds);
                    self.explain(b, env, holds);
                } else {
                    // One operand decides: the first that has the verdict.
                    let first = if self.engine.eval(a, env).truth() == holds {
                        a
                    } else {
                        b
                    };
                    self.explain(first, env, holds);
                }
            }
            ExprKind::Not(inner) => self.explain(inner, env, !holds),
            ExprKind::Quant(q) => self.quantifier(q, env, holds),
            ExprKind::Compare(op, a, b)
                if is_count(self.resolve(a)) || is_count(self.resolve(b)) =>
            {
                let (a, b) = (self.resolve(a), self.resolve(b));
                self.count(*op, a, b, env, holds);
            }
            _ => self.located_fact(e, env, holds),
        }
    }

    /// Evidence of a fact, when its value is written somewhere.
    fn located_fact(&mut self, e: &Expr, env: &mut Env<'f>, holds: bool) {
        if self.full() {
            return;
        }
        let mut message = self.message();
        if let Some(l) = self.fact(&mut message.author, e, env, holds, None) {
            self.say_fact(&mut message.reader, e, env, holds, None);
            self.push(l.span, &mut message);
        }
        self.restore(message);
    }

    fn quantifier(&mut self, q: &Quant, env: &mut Env<'f>, holds: bool) {
        let comp = &q.comp;
        match (q.kind, holds) {
            (QuantKind::Any, false) => {
                let members = self.engine.near_misses(comp, &q.body, env, MEMBERS_SHOWN);
                if members.is_empty() {
                    self.empty_collection(comp, env);
                }
                for (i, m) in members.iter().enumerate() {
                    let lead = if i == 0 {
                        Lead::Closest(q)
                    } else {
                        Lead::AlsoClose
                    };
                    self.member(comp, &q.body, m, env, lead, Verdict::Fails);
                }
            }
            (QuantKind::All, false) => {
                let members =
                    self.engine
                        .select(comp, &q.body, Select::Offending, env, MEMBERS_SHOWN);
                for (i, m) in members.iter().enumerate() {
                    let lead = if i == 0 {
                        Lead::FirstException(q)
                    } else {
                        Lead::Exception
                    };
                    self.member(comp, &q.body, m, env, lead, Verdict::BodyFails);
                }
            }
            (QuantKind::None, false) => {
                let members =
                    self.engine
                        .select(comp, &q.body, Select::Matching, env, MEMBERS_SHOWN);
                for m in &members {
                    self.member(comp, &q.body, m, env, Lead::Forbidden, Verdict::HoldsWhere);
                }
            }
            (QuantKind::Any, true) => {
                let members = self.engine.select(comp, &q.body, Select::Matching, env, 1);
                for m in &members {
                    self.member(comp, &q.body, m, env, Lead::Matches, Verdict::HoldsWhere);
                }
            }
            (QuantKind::All | QuantKind::None, true) => {}
        }
    }

    /// Evidence that an `any` found no member at all: an empty list.
    fn empty_collection(&mut self, comp: &Comp, env: &mut Env<'f>) {
        let Collection::Path(path) = &comp.collection else {
            return;
        };
        if self.full() {
            return;
        }
        let value = self.engine.eval(path, env);
        let empty = match &value {
            Val::List(list) => list.iter().next().is_none(),
            _ => true,
        };
        if !empty {
            return;
        }
        if let Some(l) = self.locate(path, env) {
            let mut message = self.message();
            let author = &mut message.author;
            self.quoted_short(author, path);
            author.push_str(if value.is_absent() {
                " is not set"
            } else {
                " is empty"
            });
            if l.how == How::Default {
                author.push_str(DEFAULT);
            }
            self.say_empty(&mut message.reader, path, env, l.how == How::Default);
            self.push(l.span, &mut message);
            self.restore(message);
        }
    }

    /// One piece of evidence about a member: `lead` says what it does, the
    /// chosen conjunct says why, and points at the value responsible.
    fn member(
        &mut self,
        comp: &Comp,
        body: &[Expr],
        m: &Member<'f>,
        env: &mut Env<'f>,
        lead: Lead<'_>,
        verdict: Verdict,
    ) {
        // Evidence past the limit would be dropped: do not write it.
        if self.full() {
            return;
        }
        bind(env, comp.var.slot, m.value.clone());
        let slot = Some(comp.var.slot);
        let mut message = self.message();
        message.author.push('`');
        self.member_name(&mut message.author, &m.value, &comp.var);
        message.author.push_str("` ");
        message.author.push_str(lead.author());
        self.say_lead(&mut message.reader, comp, m, env, &lead);
        let (first, then): (&[Expr], &[Expr]) = match verdict {
            Verdict::BodyFails => (body, &[]),
            Verdict::Fails => (&comp.filter, body),
            // The body says what a match does; the filter only which members count.
            Verdict::HoldsWhere => (body, &comp.filter),
        };
        // The conjunct that explains the member, its verdict, and where its
        // deciding value is written.
        // The conjunct that explains the member and its verdict; the rule
        // author's text of it is written as it is chosen.
        let mut chosen: Option<(&Expr, bool)> = None;
        let mut span = None;
        match verdict {
            Verdict::Fails | Verdict::BodyFails => {
                for c in first.iter().chain(then) {
                    if !self.engine.eval(c, env).truth() {
                        message.author.push_str(": ");
                        span = self
                            .fact(&mut message.author, c, env, false, slot)
                            .map(|l| l.span);
                        chosen = Some((c, false));
                        break;
                    }
                }
            }
            Verdict::HoldsWhere => {
                // A value written in a field says the most; an entity's
                // header, as for `d != c`, says less.
                let mut candidate = std::mem::take(&mut self.scratch.candidate);
                let mut best = std::mem::take(&mut self.scratch.best);
                let mut best_at: Option<Located<'f>> = None;
                for c in first.iter().chain(then) {
                    if !self.engine.eval(c, env).truth() {
                        continue;
                    }
                    candidate.clear();
                    let Some(l) = self.fact(&mut candidate, c, env, true, slot) else {
                        continue;
                    };
                    if best_at.is_none() || l.how != How::Entity {
                        std::mem::swap(&mut best, &mut candidate);
                        best_at = Some(l);
                        chosen = Some((c, true));
                    }
                    if l.how != How::Entity {
                        break;
                    }
                }
                if let Some(l) = best_at {
                    message.author.push_str(": ");
                    message.author.push_str(&best);
                    span = Some(l.span);
                }
                best.clear();
                self.scratch.candidate = candidate;
                self.scratch.best = best;
            }
        }
        if let Some((c, holds)) = chosen {
            message.reader.push_str(": ");
            self.say_fact(&mut message.reader, c, env, holds, slot);
        }
        self.say_tail(&mut message, &lead, env);
        if let Some(span) = span.or_else(|| self.member_span(comp, m, env)) {
            self.push(span, &mut message);
        }
        self.restore(message);
    }

    /// Writes what a member is called in messages: an entity's display name,
    /// or a value as code.
    fn member_name(&self, out: &mut String, value: &Val<'f>, var: &crate::program::Var) {
        match value {
            Val::Ref(r) => match self.ctx().facts.entity(*r) {
                Some(_) => out.push_str(&self.ctx().facts.name(*r)),
                None => out.push_str(&var.name),
            },
            other => write_code(out, other, &Ty::Unknown, &self.ctx().names()),
        }
    }

    /// Where a member is declared: an entity's header, or its place in the list.
    fn member_span(&self, comp: &Comp, m: &Member<'f>, env: &mut Env<'f>) -> Option<Span> {
        if let Val::Ref(r) = m.value {
            return self.ctx().facts.entity(r).map(|e| e.span);
        }
        let Collection::Path(path) = &comp.collection else {
            return None;
        };
        let l = self.locate(path, env)?;
        Some(l.items.get(m.position as usize).copied().unwrap_or(l.span))
    }

    fn count(&mut self, op: CmpOp, a: &Expr, b: &Expr, env: &mut Env<'f>, holds: bool) {
        // Read the comparison from the count's side: `2 <= count(..)` is `count(..) >= 2`.
        let (count, other, op) = match &a.kind {
            ExprKind::Count(_) => (a, b, op),
            _ => (b, a, mirror(op)),
        };
        let ExprKind::Count(comp) = &count.kind else {
            return;
        };
        let n = self.engine.eval(count, env);
        let bound = self.engine.eval(other, env);
        let (Val::Int(n), Val::Int(bound)) = (n, bound) else {
            self.located_fact(other, env, holds);
            return;
        };
        let members = self
            .engine
            .select(comp, &[], Select::Counted, env, MEMBERS_SHOWN);
        if members.is_empty() {
            self.empty_collection(comp, env);
        }
        let counted = Counted {
            comp,
            n,
            op,
            holds,
            bound,
        };
        for m in &members {
            self.member(
                comp,
                &[],
                m,
                env,
                Lead::Counted(&counted),
                Verdict::HoldsWhere,
            );
        }
    }

    /// Writes why `e` evaluates to `holds`, and returns where the deciding
    /// value is written. With `prefer`, an operand rooted at that variable is
    /// the one located, since it is the member under discussion. A value
    /// left to its default is marked "(the default)" right after it.
    fn fact(
        &self,
        out: &mut String,
        e: &Expr,
        env: &mut Env<'f>,
        holds: bool,
        prefer: Option<u32>,
    ) -> Option<Located<'f>> {
        match &e.kind {
            ExprKind::Compare(op, a, b) => {
                let located = self.locate_operands(a, b, env, prefer);
                self.describe_compare(out, *op, a, b, env, holds, located);
                located.map(|(_, l)| l)
            }
            ExprKind::In(a, b) | ExprKind::NotIn(a, b) => {
                let located = self.locate_operands(a, b, env, prefer);
                self.describe_in(out, a, b, env, located);
                located.map(|(_, l)| l)
            }
            ExprKind::Has(base, field) => {
                out.push('`');
                self.short(out, base);
                out.push('.');
                out.push_str(&field.name);
                out.push('`');
                out.push_str(if self.engine.eval(e, env).truth() {
                    " is set"
                } else {
                    " is not set"
                });
                self.locate_field(base, field.id, env)
            }
            ExprKind::Not(inner) => self.fact(out, inner, env, !holds, prefer),
            ExprKind::And(a, b) | ExprKind::Or(a, b) => {
                let is_and = matches!(e.kind, ExprKind::And(..));
                if is_and != holds {
                    let first = if self.engine.eval(a, env).truth() == holds {
                        a
                    } else {
                        b
                    };
                    self.fact(out, first, env, holds, prefer)
                } else {
                    out.push('`');
                    out.push_str(&e.to_source(self.ctx().program, self.ctx().schema));
                    out.push_str(if holds { "` holds" } else { "` does not hold" });
                    None
                }
            }
            ExprKind::Quant(q) => {
                self.describe_quantifier(out, q, holds);
                self.locate(e, env)
            }
            _ => {
                let value = self.engine.eval(e, env);
                let located = self.locate(e, env);
                self.quoted_short(out, e);
                if value.is_absent() {
                    out.push_str(" is not set");
                } else {
                    out.push_str(" is `");
                    write_code(out, &value, &e.ty, &self.ctx().names());
                    out.push('`');
                    if located.is_some_and(|l| l.how == How::Default) {
                        out.push_str(DEFAULT);
                    }
                }
                located
            }
        }
    }

    /// "no `g` in `q.groups` satisfies `g in p.groups`", "no `c` in
    /// `coordination` where `m.group in c.groups` qualifies": which members
    /// the quantifier considers, cut when long, and what it asks of them when
    /// that is short enough to show in full.
    fn describe_quantifier(&self, out: &mut String, q: &Quant, holds: bool) {
        let (program, schema) = (self.ctx().program, self.ctx().schema);
        let comp = &q.comp;
        // Without a body, the filter is the condition.
        let (filter, condition): (&[Expr], &[Expr]) = if q.body.is_empty() {
            (&[], &comp.filter)
        } else {
            (&comp.filter, &q.body)
        };
        let quantity = match (q.kind, holds) {
            (QuantKind::Any, true) | (QuantKind::None, false) => "some",
            (QuantKind::Any, false) | (QuantKind::None, true) => "no",
            (QuantKind::All, true) => "every",
            (QuantKind::All, false) => "not every",
        };
        if condition.is_empty() {
            // `any x in C`: whether the collection has members.
            out.push('`');
            comp.write_collection_source(out, program, schema);
            out.push_str(match quantity {
                "no" => "` is empty",
                _ => "` is not empty",
            });
            return;
        }
        out.push_str(quantity);
        out.push_str(" `");
        out.push_str(&comp.var.name);
        out.push_str("` in `");
        comp.write_collection_source(out, program, schema);
        out.push('`');
        if !filter.is_empty() {
            out.push_str(" where `");
            let _ = write_conjuncts(out, filter, program, schema);
            out.push('`');
        }
        let mark = out.len();
        out.push_str(" satisfies `");
        if write_conjuncts(out, condition, program, schema) {
            out.push('`');
        } else {
            // A condition cut short would not say what fails.
            out.truncate(mark);
            out.push_str(" qualifies");
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn describe_compare(
        &self,
        out: &mut String,
        op: CmpOp,
        a: &Expr,
        b: &Expr,
        env: &mut Env<'f>,
        holds: bool,
        located: Option<(Operand, Located<'f>)>,
    ) {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        if self.absent_operand(out, (a, &va), (b, &vb), located) {
            return;
        }
        let names = self.ctx().names();
        let default = |side| located.is_some_and(|(o, l)| o == side && l.how == How::Default);
        self.quoted_short(out, a);
        out.push_str(" is `");
        write_code(out, &va, &a.ty, &names);
        out.push('`');
        if default(Operand::Left) {
            out.push_str(DEFAULT);
        }
        let same = matches!((op, holds), (CmpOp::Eq, true) | (CmpOp::Ne, false));
        if same && is_constant(b) {
            return;
        }
        if same {
            out.push_str(", the same as ");
            self.quoted_short(out, b);
        } else {
            out.push_str(", ");
            out.push_str(phrase(op, holds));
            out.push_str(" `");
            write_code(out, &vb, &b.ty, &names);
            out.push('`');
        }
        if default(Operand::Right) {
            out.push_str(DEFAULT);
        }
    }

    fn describe_in(
        &self,
        out: &mut String,
        a: &Expr,
        b: &Expr,
        env: &mut Env<'f>,
        located: Option<(Operand, Located<'f>)>,
    ) {
        let (va, vb) = (self.engine.eval(a, env), self.engine.eval(b, env));
        if self.absent_operand(out, (a, &va), (b, &vb), located) {
            return;
        }
        let names = self.ctx().names();
        let default = |side| located.is_some_and(|(o, l)| o == side && l.how == How::Default);
        let contained = crate::value::member(&va, &vb);
        let path_on_right = matches!(b.kind, ExprKind::Field(..) | ExprKind::Var(_));
        if path_on_right {
            self.quoted_short(out, b);
            if default(Operand::Right) {
                // The list is not written: show the default it takes.
                out.push_str(" is `");
                write_code(out, &vb, &b.ty, &names);
                out.push('`');
                out.push_str(DEFAULT);
                out.push_str(if contained {
                    ", which contains `"
                } else {
                    ", which does not contain `"
                });
            } else {
                out.push_str(if contained {
                    " contains `"
                } else {
                    " does not contain `"
                });
            }
            write_code(out, &va, &a.ty, &names);
            out.push('`');
        } else {
            self.quoted_short(out, a);
            out.push_str(" is `");
            write_code(out, &va, &a.ty, &names);
            out.push('`');
            if default(Operand::Left) {
                out.push_str(DEFAULT);
            }
            out.push_str(if contained { ", in " } else { ", not in " });
            self.quoted_short(out, b);
        }
    }

    /// Writes the message of a comparison with an absent operand, and says
    /// whether there was one: "`p.actor` is not set", or, when the other
    /// operand is the one located, "`q.actor` is `EU`, but `p.actor` is not
    /// set".
    fn absent_operand(
        &self,
        out: &mut String,
        (a, va): (&Expr, &Val<'f>),
        (b, vb): (&Expr, &Val<'f>),
        located: Option<(Operand, Located<'f>)>,
    ) -> bool {
        let (absent, present, present_side) = match (va.is_absent(), vb.is_absent()) {
            (true, _) => (a, (b, vb), Operand::Right),
            (false, true) => (b, (a, va), Operand::Left),
            (false, false) => return false,
        };
        let (present, value) = present;
        if !value.is_absent() && located.is_some_and(|(o, _)| o == present_side) {
            self.quoted_short(out, present);
            out.push_str(" is `");
            write_code(out, value, &present.ty, &self.ctx().names());
            out.push_str("`, but ");
        }
        self.quoted_short(out, absent);
        out.push_str(" is not set");
        true
    }

    /// The operand to locate: one rooted at `prefer` if it is written
    /// somewhere, else the first that is.
    fn locate_operands(
        &self,
        a: &Expr,
        b: &Expr,
        env: &mut Env<'f>,
        prefer: Option<u32>,
    ) -> Option<(Operand, Located<'f>)> {
        let operands = [(Operand::Left, a), (Operand::Right, b)];
        if let Some(slot) = prefer {
            for (side, o) in operands {
                if root_slot(o) == Some(slot)
                    && let Some(l) = self.locate(o, env)
                {
                    return Some((side, l));
                }
            }
        }
        operands
            .into_iter()
            .find_map(|(side, o)| self.locate(o, env).map(|l| (side, l)))
    }

    /// Where the value of a path is written. A count or quantifier over a
    /// written list points at the list.
    fn locate(&self, e: &Expr, env: &mut Env<'f>) -> Option<Located<'f>> {
        match &e.kind {
            ExprKind::Field(base, field) => self.locate_field(base, field.id, env),
            ExprKind::Var(_) | ExprKind::Singleton(_) => match self.engine.eval(e, env) {
                Val::Ref(r) => self.ctx().facts.entity(r).map(|entity| Located {
                    span: entity.span,
                    how: How::Entity,
                    items: &[],
                }),
                _ => None,
            },
            ExprKind::Count(comp) => self.locate_collection(comp, env),
            ExprKind::Quant(q) => self.locate_collection(&q.comp, env),
            _ => None,
        }
    }

    fn locate_collection(&self, comp: &Comp, env: &mut Env<'f>) -> Option<Located<'f>> {
        match &comp.collection {
            Collection::Path(path) => self.locate(path, env).filter(|l| l.how == How::Written),
            Collection::Kind(_) => None,
        }
    }

    fn locate_field(
        &self,
        base: &Expr,
        field: lacuna_model::FieldId,
        env: &mut Env<'f>,
    ) -> Option<Located<'f>> {
        let facts: &'f Facts = self.ctx().facts;
        match self.engine.eval(base, env) {
            Val::Ref(r) => {
                let entity = facts.entity(r)?;
                let fact = entity.field(field);
                Some(match fact.and_then(|f| f.span.map(|s| (s, f))) {
                    Some((span, f)) => Located {
                        span,
                        how: How::Written,
                        items: &f.item_spans,
                    },
                    None => Located {
                        span: entity.span,
                        how: if matches!(entity.value(field), lacuna_model::Value::Absent) {
                            How::Unset
                        } else {
                            How::Default
                        },
                        items: &[],
                    },
                })
            }
            Val::Absent => self.locate(base, env),
            _ => None,
        }
    }

    /// Writes the short form of an expression.
    fn short(&self, out: &mut String, e: &Expr) {
        e.write_short_source(out, self.ctx().program, self.ctx().schema);
    }

    /// Writes the short form of an expression in backticks.
    fn quoted_short(&self, out: &mut String, e: &Expr) {
        out.push('`');
        self.short(out, e);
        out.push('`');
    }
}

/// The mark of a value that the proposal leaves to its default.
const DEFAULT: &str = " (the default)";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Show the first conjunct of filter then body that fails.
    Fails,
    /// Show the first conjunct of the body that fails.
    BodyFails,
    /// Show the first conjunct of body then filter that holds, preferring
    /// one whose value is written in a field.
    HoldsWhere,
}

fn is_count(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Count(_))
}

fn is_constant(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Bool(_) | ExprKind::Int(_) | ExprKind::Text(_) | ExprKind::Variant(..)
    )
}

/// The variable a path starts from.
fn root_slot(e: &Expr) -> Option<u32> {
    match &e.kind {
        ExprKind::Var(v) => Some(v.slot),
        ExprKind::Field(base, _) | ExprKind::Has(base, _) => root_slot(base),
        _ => None,
    }
}

/// `a OP b` read as `b OP' a`.
fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// How a value relates to a bound under `op`, when the comparison has the
/// verdict `holds`: "not at least", "less than".
fn phrase(op: CmpOp, holds: bool) -> &'static str {
    match (op, holds) {
        (CmpOp::Eq, true) | (CmpOp::Ne, false) => "exactly",
        (CmpOp::Eq, false) | (CmpOp::Ne, true) => "not",
        (CmpOp::Lt, true) => "less than",
        (CmpOp::Lt, false) => "not less than",
        (CmpOp::Le, true) => "at most",
        (CmpOp::Le, false) => "not at most",
        (CmpOp::Gt, true) => "more than",
        (CmpOp::Gt, false) => "not more than",
        (CmpOp::Ge, true) => "at least",
        (CmpOp::Ge, false) => "not at least",
    }
}

/// What a piece of evidence about a member says the member does.
enum Lead<'q> {
    /// The first near miss of a failed `any`.
    Closest(&'q Quant),
    /// A further near miss.
    AlsoClose,
    /// The first member that fails the body of a failed `all`.
    FirstException(&'q Quant),
    /// A further one.
    Exception,
    /// A member that matches a failed `none`.
    Forbidden,
    /// A member that matches an `any` that holds.
    Matches,
    /// A member of a count compared with a bound.
    Counted(&'q Counted<'q>),
}

impl Lead<'_> {
    /// The verb of the message for the author of the norm.
    fn author(&self) -> &'static str {
        match self {
            Lead::Closest(_) => "comes closest",
            Lead::AlsoClose => "also comes close",
            Lead::FirstException(_) | Lead::Exception => "fails",
            Lead::Forbidden | Lead::Matches => "matches",
            Lead::Counted(_) => "is counted",
        }
    }
}

/// A count compared with a bound, as evidence about its members tells it.
struct Counted<'q> {
    comp: &'q Comp,
    /// How many members are counted.
    n: i64,
    /// The comparison, read from the count's side: `count(..) OP bound`.
    op: CmpOp,
    /// The comparison's verdict.
    holds: bool,
    bound: i64,
}
