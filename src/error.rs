//! Errors that stop a run with exit code 2, each pointing at its cause.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A problem in a TOML file (config or ruleset), with a label at the
/// offending text so the user sees the exact line. Boxed: it carries the
/// whole file.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct TomlError(Box<TomlErrorInner>);

impl std::ops::Deref for TomlError {
    type Target = TomlErrorInner;
    fn deref(&self) -> &TomlErrorInner {
        &self.0
    }
}

/// The contents of a [`TomlError`].
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(tracklint::config))]
pub struct TomlErrorInner {
    /// What is wrong.
    pub message: String,
    /// The whole file, for the excerpt.
    #[source_code]
    pub src: NamedSource<String>,
    /// Where in the file, when known.
    #[label("here")]
    pub span: Option<SourceSpan>,
    /// How to fix it.
    #[help]
    pub help: Option<String>,
}

impl TomlError {
    /// Makes an error about `name` (a path or `builtin:…`) with `text` as source.
    pub fn new(
        name: &str,
        text: &str,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
    ) -> TomlError {
        TomlError(Box::new(TomlErrorInner {
            message: format!("{name}: {}", message.into()),
            src: NamedSource::new(name, text.to_string()),
            span: span.map(|r| SourceSpan::from(r.start..r.end)),
            help: None,
        }))
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> TomlError {
        self.0.help = Some(help.into());
        self
    }

    /// Converts a TOML parse or schema error, keeping its span, with a
    /// "did you mean" hint for an unknown key.
    pub fn from_toml(name: &str, text: &str, err: &toml::de::Error) -> TomlError {
        let e = TomlError::new(name, text, err.message().trim().to_string(), err.span());
        // serde's message: "unknown field `x`, expected one of `a`, `b`".
        let suggestion = err
            .message()
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .and_then(|(unknown, expected)| {
                crate::suggest::closest(unknown, expected.split('`').skip(1).step_by(2))
            });
        match suggestion {
            Some(near) => e.with_help(format!("did you mean `{near}`?")),
            None => e,
        }
    }
}

/// Declares a layer's error: a message and an optional help line, shown
/// by miette with the layer's diagnostic code.
#[macro_export]
#[doc(hidden)]
macro_rules! layer_error {
    ($(#[$doc:meta])* $name:ident, $code:literal) => {
        $(#[$doc])*
        #[derive(Debug, thiserror::Error, miette::Diagnostic)]
        #[error("{message}")]
        #[diagnostic(code($code))]
        pub struct $name {
            /// What is wrong.
            pub message: String,
            /// How to fix it.
            #[help]
            pub help: Option<String>,
        }

        impl $name {
            /// An error without help.
            pub fn new(message: impl Into<String>) -> $name {
                $name {
                    message: message.into(),
                    help: None,
                }
            }

            /// Adds a help line.
            pub fn with_help(mut self, help: impl Into<String>) -> $name {
                self.help = Some(help.into());
                self
            }
        }
    };
}

layer_error!(
    /// A bad flag, glob or path, found after argument parsing.
    UsageError,
    "tracklint::usage"
);
