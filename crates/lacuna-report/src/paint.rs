//! ANSI styles for the summaries printed to terminals, applied only when
//! the caller asked for colour.

use crate::{RenderOptions, Severity};

/// ANSI styles when colour is on, plain text otherwise.
pub struct Paint {
    color: bool,
}

impl Paint {
    pub fn new(options: &RenderOptions) -> Paint {
        Paint {
            color: options.color,
        }
    }

    pub fn style(&self, style: anstyle::Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.style(anstyle::Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.style(anstyle::Style::new().dimmed(), text)
    }

    pub fn green(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Green), text)
    }

    pub fn red(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Red), text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.style(colour(anstyle::AnsiColor::Yellow), text)
    }

    pub fn severity(&self, severity: Severity, text: &str) -> String {
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
