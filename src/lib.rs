//! crm-audit: audits a sales department's CRM exports against its written
//! sales regulation and reports, per manager, what is broken.
//!
//! The pipeline: `rules` compiles a rule file into a checked `RuleSet`;
//! `input` reads the export files into a `model::Dataset`; `audit` runs the
//! rules and returns violations as data; `report` orders them into a
//! `Report` and renders it. `cli` wires these to the command line. The
//! library never prints: renderers write to the writer they are handed.
//! Public are the modules the binary, the tests, the examples and the fuzz
//! targets use (a test in `cli` holds it so); the rest is the crate's own.

pub mod audit;
pub(crate) mod checks;
pub mod cli;
pub mod commands;
pub(crate) mod files;
pub mod history;
mod id_index;
pub mod input;
pub mod inspect;
pub(crate) mod lang;
pub(crate) mod model;
pub(crate) mod names;
pub(crate) mod notify;
mod parallel;
pub(crate) mod progress;
pub(crate) mod pull;
pub mod report;
pub mod rules;
pub mod value;
