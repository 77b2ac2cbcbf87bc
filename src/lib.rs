//! karvan: a static site generator for multilingual public-information sites.
//!
//! The build is a pipeline of stages, each in its own module, in this order (see [`build`]):
//! [`config`] → [`content`] → [`site`] → [`i18n`] and templates → [`markdown`] → [`render`] →
//! [`output`]. Every stage borrows the previous stage's result and returns new owned data; the
//! language is a field of every core type. Problems come back as [`error::Diagnostics`] naming the
//! file, line and column.

// A `Diagnostic` (136 bytes) is returned only on the cold path of a failed build; boxing it would
// buy nothing measurable and cost clarity at every construction site.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod build;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod escape;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod record;
pub mod render;
pub mod report;
pub mod site;
pub mod source;

pub use build::{Options, Report, Session, Update, build, check};
pub use error::{Diagnostic, Diagnostics};
