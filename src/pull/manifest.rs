//! `manifest.json`: what a snapshot holds and where it came from, so a
//! reader of tonight's audit can tell a complete pull from a partial one
//! and count the rows against what the API itself reported.

use serde::Serialize;
use std::collections::BTreeMap;

/// The manifest of one snapshot. Holds no secret: the base URL is the one
/// checked by `endpoint` (which refuses credentials in it).
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// The system pulled from: `sipuni`, later `amocrm`, `bitrix24`.
    pub source: String,
    pub base_url: String,
    /// When the pull finished, UTC, RFC 3339.
    pub pulled_at: String,
    pub tool_version: String,
    /// The period asked for, as given (`from`, `to`, ISO dates).
    pub period: BTreeMap<String, String>,
    /// Per entity (`calls`, later `deals`, `tasks`): its file and counts.
    pub entities: BTreeMap<String, Entity>,
    /// Written only once every entity is in: always `true` in a snapshot.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// The file in the snapshot, e.g. `calls.csv`.
    pub file: String,
    /// Data rows in the file (the header not counted).
    pub rows: u64,
    /// Requests (pages) it took.
    pub pages: u64,
    /// The total the API itself reported, where it reports one.
    pub api_total: Option<u64>,
}

impl Manifest {
    pub fn new(source: &str, base_url: &str) -> Manifest {
        Manifest {
            source: source.to_string(),
            base_url: base_url.to_string(),
            pulled_at: String::new(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            period: BTreeMap::new(),
            entities: BTreeMap::new(),
            complete: false,
        }
    }
}
