//! The texts that spans point into.

use std::sync::Arc;

use lacuna_syntax::Span;

/// Identifies one text in a [`SourceDb`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

/// A span in a known text: where an entity, a value or a norm comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub source: SourceId,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The name shown in diagnostics: a path as given, or `<embedded>/protection.norm`.
    pub name: String,
    /// Shared, not copied: a proposal's text is moved in as it was read.
    pub text: Arc<String>,
}

/// Every text loaded in one run: rule files and proposals.
#[derive(Clone, Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    pub fn new() -> SourceDb {
        SourceDb::default()
    }

    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> SourceId {
        let id = SourceId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            name: name.into(),
            text: Arc::new(text.into()),
        });
        id
    }

    pub fn get(&self, id: SourceId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn name(&self, id: SourceId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.name.as_str())
    }

    pub fn text(&self, id: SourceId) -> &str {
        self.get(id).map_or("", |f| &f.text)
    }

    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (SourceId(i as u32), f))
    }
}
