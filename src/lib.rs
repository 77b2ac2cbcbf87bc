//! karvan: a static site generator for multilingual public-information sites.
//!
//! The build is a pipeline of stages, each in its own module, in this order (see [`engine`]):
//! [`config`] → [`content`] and [`catalog`] → [`site`] → [`i18n`], [`assets`] and templates →
//! [`images`] → [`markdown`] → [`render`] → [`output`]. Every stage borrows the previous stage's result and
//! returns new owned data; the language is a [`config::Lang`] handle in every core type. The
//! [`engine`] keeps the stages' outputs in a [`Session`] with a [`record`] of what every output
//! file was made from, so that an edit re-runs only what it touches. Problems come back as
//! [`error::Diagnostics`] naming the file, line and column; the library never prints.

// A `Diagnostic` (136 bytes) is returned only on the cold path of a failed build; boxing it would
// buy nothing measurable and cost clarity at every construction site.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod content;
pub mod engine;
pub mod error;
pub mod escape;
pub mod external;
pub mod graph;
pub mod i18n;
pub mod images;
pub mod markdown;
pub mod output;
pub mod policy;
pub mod record;
pub mod render;
pub mod report;
pub mod serve;
pub mod site;
pub mod source;
pub mod validate;

pub use engine::{Options, Report, Session, Update, build, check};
pub use error::{Diagnostic, Diagnostics};
