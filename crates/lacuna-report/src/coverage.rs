//! A coverage matrix: who holds each responsibility for each entity of a
//! kind, read from a proposal's facts by a [`CoverageSpec`].
//!
//! Nothing here knows the vocabulary. The spec names the kinds and fields
//! (for the standard rules: vulnerable groups as rows, the functions
//! protection, assistance and monitoring as columns, the actors holding a
//! mandate in the cells, marked when they have field presence); it is data,
//! kept beside the rules in `rules/report.toml`, so another domain brings
//! its own. `docs/report.md` describes the fields.

use lacuna_model::{EntityRef, Facts, FieldId, KindId, Schema, Type, Value};
use serde::Deserialize;

/// What the coverage matrix shows, by the names of the schema.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageSpec {
    /// The heading of the matrix.
    pub title: String,
    /// The entity kind of the rows, such as `group`.
    pub rows: String,
    /// A `bool` field of the rows' kind; only entities where it is true are
    /// rows. All entities when absent.
    #[serde(default)]
    pub rows_where: Option<String>,
    /// The entity kind whose entities fill the cells, such as `mandate`.
    pub cells: String,
    /// The field of a cell entity that refers to its row.
    pub row_field: String,
    /// The enum field of a cell entity that decides its column.
    pub column_field: String,
    /// The variants of that enum shown as columns, in order.
    pub columns: Vec<String>,
    /// The field of a cell entity that refers to the entity holding it.
    pub holder_field: String,
    /// A `bool` field of the holder shown as a mark beside its name.
    #[serde(default)]
    pub mark: Option<String>,
    /// What the mark means, for the legend.
    #[serde(default)]
    pub mark_label: Option<String>,
}

/// One holder in a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub name: String,
    /// The value of the mark field; `false` when there is no mark field.
    pub marked: bool,
}

/// The matrix of one proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageTable {
    pub title: String,
    pub columns: Vec<String>,
    /// Each row's entity and display name, then one cell per column.
    pub rows: Vec<CoverageRow>,
    pub mark_label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageRow {
    pub entity: EntityRef,
    /// The path findings use for this entity: `group.refugees`.
    pub path: String,
    pub name: String,
    pub cells: Vec<Vec<Holder>>,
}

/// A spec that names something the schema does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SpecError {
    pub message: String,
}

fn fail<T>(message: String) -> Result<T, SpecError> {
    Err(SpecError { message })
}

/// The kinds and fields of a spec, resolved against a schema once.
#[derive(Clone, Debug)]
pub struct ResolvedSpec {
    spec: CoverageSpec,
    rows: KindId,
    rows_where: Option<FieldId>,
    cells: KindId,
    row_field: FieldId,
    column_field: FieldId,
    /// The variant index of each column.
    columns: Vec<u32>,
    holder_field: FieldId,
    holder_kind: KindId,
    mark: Option<FieldId>,
}

/// Checks that the spec's names exist in the schema with fitting types.
pub fn resolve(schema: &Schema, spec: &CoverageSpec) -> Result<ResolvedSpec, SpecError> {
    let kind = |name: &str| match schema.kind_id(name) {
        Some(id) => Ok(id),
        None => fail(format!("`{name}` is not an entity kind of the schema")),
    };
    let field = |kind: KindId, name: &str| -> Result<(FieldId, Type), SpecError> {
        let def = schema.entity(kind);
        match def.and_then(|d| d.field(name)) {
            Some((id, f)) => Ok((id, f.ty.clone())),
            None => fail(format!(
                "`{}` has no field `{name}`",
                def.map_or("?", |d| d.name.as_str())
            )),
        }
    };
    let bool_field = |kind: KindId, name: &str| -> Result<FieldId, SpecError> {
        let (id, ty) = field(kind, name)?;
        match strip_optional(&ty) {
            Type::Bool => Ok(id),
            _ => fail(format!("the field `{name}` is not a `bool`")),
        }
    };
    let ref_field = |kind: KindId, name: &str| -> Result<(FieldId, KindId), SpecError> {
        let (id, ty) = field(kind, name)?;
        match strip_optional(&ty) {
            Type::Ref(target) => Ok((id, *target)),
            _ => fail(format!("the field `{name}` does not refer to an entity")),
        }
    };
    let rows = kind(&spec.rows)?;
    let cells = kind(&spec.cells)?;
    let rows_where = spec
        .rows_where
        .as_deref()
        .map(|f| bool_field(rows, f))
        .transpose()?;
    let (row_field, row_target) = ref_field(cells, &spec.row_field)?;
    if row_target != rows {
        return fail(format!(
            "the field `{}` does not refer to a `{}`",
            spec.row_field, spec.rows
        ));
    }
    let (column_field, column_ty) = field(cells, &spec.column_field)?;
    let Type::Enum(enum_id) = strip_optional(&column_ty) else {
        return fail(format!("the field `{}` is not an enum", spec.column_field));
    };
    let def = schema.enum_def(*enum_id);
    let mut columns = Vec::with_capacity(spec.columns.len());
    for name in &spec.columns {
        match def.and_then(|d| d.variant(name)) {
            Some(index) => columns.push(index),
            None => {
                return fail(format!(
                    "`{name}` is not a variant of `{}`",
                    def.map_or("?", |d| d.name.as_str())
                ));
            }
        }
    }
    let (holder_field, holder_kind) = ref_field(cells, &spec.holder_field)?;
    let mark = spec
        .mark
        .as_deref()
        .map(|f| bool_field(holder_kind, f))
        .transpose()?;
    Ok(ResolvedSpec {
        spec: spec.clone(),
        rows,
        rows_where,
        cells,
        row_field,
        column_field,
        columns,
        holder_field,
        holder_kind,
        mark,
    })
}

fn strip_optional(ty: &Type) -> &Type {
    match ty {
        Type::Optional(inner) => strip_optional(inner),
        other => other,
    }
}

/// The matrix of one proposal, rows and holders in source order.
pub fn coverage(schema: &Schema, facts: &Facts, spec: &ResolvedSpec) -> CoverageTable {
    let kind_name = schema.entity(spec.rows).map_or("?", |d| d.name.as_str());
    let mut rows = Vec::new();
    for (index, entity) in facts.entities(spec.rows).iter().enumerate() {
        if let Some(field) = spec.rows_where
            && entity.value(field) != &Value::Bool(true)
        {
            continue;
        }
        let r = EntityRef {
            kind: spec.rows,
            index: index as u32,
        };
        let mut cells = vec![Vec::new(); spec.columns.len()];
        for cell in facts.entities(spec.cells) {
            if cell.value(spec.row_field) != &Value::Ref(r) {
                continue;
            }
            let Value::Enum(variant) = cell.value(spec.column_field) else {
                continue;
            };
            let Some(column) = spec.columns.iter().position(|c| c == variant) else {
                continue;
            };
            let Value::Ref(holder) = cell.value(spec.holder_field) else {
                continue;
            };
            if holder.kind != spec.holder_kind {
                continue;
            }
            let holder_ref = *holder;
            let Some(holder) = facts.entity(holder_ref) else {
                continue;
            };
            let marked = spec
                .mark
                .is_some_and(|m| holder.value(m) == &Value::Bool(true));
            let name = facts.name(holder_ref);
            if let Some(list) = cells.get_mut(column)
                && !list.iter().any(|h: &Holder| h.name == name)
            {
                list.push(Holder {
                    name: name.into_owned(),
                    marked,
                });
            }
        }
        rows.push(CoverageRow {
            entity: r,
            path: format!("{kind_name}.{}", facts.name(r)),
            name: facts.name(r).into_owned(),
            cells,
        });
    }
    CoverageTable {
        title: spec.spec.title.clone(),
        columns: spec.spec.columns.clone(),
        rows,
        mark_label: spec.spec.mark_label.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lacuna_model::{Format, SourceId, build_schema, load};

    const SCHEMA: &str = "
enum duty { care, watch }
entity person { needy: bool = false }
entity helper { present: bool = false }
entity duty_holder (list) { who: helper, duty: duty, whom: person }
";

    fn schema() -> Schema {
        let (ast, errors) = lacuna_syntax::parse(SCHEMA);
        assert!(errors.is_empty(), "{errors:?}");
        let (schema, errors) = build_schema(&[(SourceId(0), &ast)]);
        assert!(errors.is_empty(), "{errors:?}");
        schema
    }

    fn spec() -> CoverageSpec {
        CoverageSpec {
            title: "who cares".to_owned(),
            rows: "person".to_owned(),
            rows_where: Some("needy".to_owned()),
            cells: "duty_holder".to_owned(),
            row_field: "whom".to_owned(),
            column_field: "duty".to_owned(),
            columns: vec!["watch".to_owned(), "care".to_owned()],
            holder_field: "who".to_owned(),
            mark: Some("present".to_owned()),
            mark_label: Some("present".to_owned()),
        }
    }

    #[test]
    fn cells_list_the_holders_of_each_column() {
        let schema = schema();
        let text = r#"
[person.ann]
needy = true
[person.bob]
[helper.near]
present = true
[helper.far]
[[duty_holder]]
who = "far"
duty = "care"
whom = "ann"
[[duty_holder]]
who = "near"
duty = "care"
whom = "ann"
[[duty_holder]]
who = "near"
duty = "care"
whom = "bob"
"#;
        let (facts, errors) = load(&schema, SourceId(1), text, Format::Toml);
        assert!(errors.is_empty(), "{errors:?}");
        let table = coverage(&schema, &facts, &resolve(&schema, &spec()).unwrap());
        assert_eq!(table.columns, ["watch", "care"]);
        // `bob` is not needy: no row.
        assert_eq!(table.rows.len(), 1);
        let row = &table.rows[0];
        assert_eq!(
            (row.name.as_str(), row.path.as_str()),
            ("ann", "person.ann")
        );
        assert!(row.cells[0].is_empty());
        let care: Vec<(&str, bool)> = row.cells[1]
            .iter()
            .map(|h| (h.name.as_str(), h.marked))
            .collect();
        assert_eq!(care, [("far", false), ("near", true)]);
    }

    #[test]
    fn names_the_schema_lacks_are_refused() {
        let schema = schema();
        let check = |change: fn(&mut CoverageSpec), message: &str| {
            let mut spec = spec();
            change(&mut spec);
            assert_eq!(resolve(&schema, &spec).unwrap_err().message, message);
        };
        check(
            |s| s.rows = "group".to_owned(),
            "`group` is not an entity kind of the schema",
        );
        check(
            |s| s.holder_field = "owner".to_owned(),
            "`duty_holder` has no field `owner`",
        );
        check(
            |s| s.columns.push("feed".to_owned()),
            "`feed` is not a variant of `duty`",
        );
        check(
            |s| s.mark = Some("who".to_owned()),
            "`helper` has no field `who`",
        );
        check(
            |s| s.rows_where = Some("x".to_owned()),
            "`person` has no field `x`",
        );
        check(
            |s| s.column_field = "who".to_owned(),
            "the field `who` is not an enum",
        );
        check(
            |s| s.row_field = "who".to_owned(),
            "the field `who` does not refer to a `person`",
        );
    }
}
