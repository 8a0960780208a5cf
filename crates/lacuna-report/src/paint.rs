//! ANSI styles for the summaries printed to terminals, applied only when
//! the caller asked for colour.

use crate::{RenderOptions, Severity};

pub(crate) struct Paint {
    color: bool,
}

impl Paint {
    pub(crate) fn new(options: &RenderOptions) -> Paint {
        Paint {
            color: options.color,
        }
    }

    fn style(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    pub(crate) fn bold(&self, text: &str) -> String {
        self.style(anstyle::Style::new().bold(), text)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.style(anstyle::Style::new().dimmed(), text)
    }

    pub(crate) fn green(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Green), text)
    }

    pub(crate) fn red(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Red), text)
    }

    pub(crate) fn yellow(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Yellow), text)
    }

    pub(crate) fn severity(&self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Error => self.red(text),
            Severity::Warning => self.yellow(text),
            Severity::Info => self.style(colour(anstyle::AnsiColor::Cyan), text),
        }
    }
}

fn colour(c: anstyle::AnsiColor) -> anstyle::Style {
    anstyle::Style::new().bold().fg_color(Some(c.into()))
}
