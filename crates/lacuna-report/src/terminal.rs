//! The one place that turns render settings into miette's graphical
//! handler.
//!
//! Every report drawn for a terminal — findings, input problems, rule-test
//! failures, the formatter's errors — goes through
//! [`RenderOptions::graphical_handler`], so they share a theme, a width
//! and a colour decision. The decision itself is the caller's: the binary
//! looks at the terminal, `NO_COLOR` and `COLUMNS` and fills in the
//! options; tests use [`RenderOptions::default`], which is plain text at
//! 100 columns.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use crate::RenderOptions;

impl RenderOptions {
    /// Options for text drawn on a terminal: coloured or not, wrapped at
    /// `width`, without a run summary.
    pub fn terminal(color: bool, width: usize) -> RenderOptions {
        RenderOptions {
            color,
            width,
            summary: None,
        }
    }

    /// miette's graphical handler for these options: Unicode box drawing,
    /// ANSI colour only when [`RenderOptions::color`] is set, lines wrapped
    /// at [`RenderOptions::width`], and links written as text, so that no
    /// terminal escape appears unless colour was asked for.
    pub fn graphical_handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
    }

    /// One diagnostic, its source attached, drawn by
    /// [`RenderOptions::graphical_handler`]. Should miette fail to draw it,
    /// its message alone is returned, so that nothing is lost.
    pub fn render_diagnostic(&self, diagnostic: &dyn Diagnostic) -> String {
        let mut out = String::new();
        if self
            .graphical_handler()
            .render_report(&mut out, diagnostic)
            .is_err()
        {
            out = format!("{diagnostic}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("a long message that goes on and on, well past the width of a narrow terminal")]
    #[diagnostic(
        code(demo::long),
        help("and help that is just as long and wordy as the message is")
    )]
    struct Long;

    #[test]
    fn colour_and_width_come_from_the_options() {
        let plain = RenderOptions::terminal(false, 40).render_diagnostic(&Long);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        assert!(
            plain.lines().all(|line| line.chars().count() <= 40),
            "{plain}"
        );
        let coloured = RenderOptions::terminal(true, 200).render_diagnostic(&Long);
        assert!(coloured.contains('\u{1b}'), "{coloured}");
        assert!(
            coloured.lines().any(|line| line.chars().count() > 40),
            "{coloured}"
        );
    }
}
