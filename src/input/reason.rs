//! Why a row was not read as a record, why a file of a folder was not read
//! at all, and what a reader should know about a file's records, as data:
//! reading picks no language. `report::input_reason` puts each into words
//! in the report's language; `Display` is the English text the reports,
//! the JSON and the error messages have always shown.

use crate::rules::columns::EntityKind;
use std::fmt;

/// Why a data row did not become a record. Texts in it are as the file
/// writes them (an extension, a name in brackets, a word).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Skip {
    EmptyRow,
    /// A deal export's (or a lead export's) row with an empty ID.
    WithoutId {
        lead: bool,
    },
    /// A deal's product row in an export with products (Bitrix24).
    ProductRow,
    /// The same deal exported again (overlapping exports).
    DealRepeat,
    /// The same task listed again (overlapping exports).
    TaskRepeat,
    /// A copy of a record (a deal, a lead, a task, a call) that another
    /// export holds too, newer: that copy is the one audited. `newer`: the
    /// file holding it, as shown.
    OlderCopy {
        kind: EntityKind,
        newer: String,
        by: NewerBy,
    },
    CallWithoutTime,
    CallWithoutDirection,
    /// A direction word no `[values.call-direction]` list has (`inspect`
    /// only: an audit stops on it).
    UnknownDirection(String),
    /// A caller's extension no roster or CRM column names the owner of.
    UnknownExtension(String),
    /// A name where a person should be that is no person's (a queue).
    NotAPerson(String),
    /// An outgoing call whose manager cell is empty.
    CallWithoutManager,
    /// `EXT (Name)` whose name is no manager of the deals or tasks read.
    UnknownName {
        written: String,
        name: String,
    },
    /// `EXT (Name)` whose name is a word of several managers' names.
    AmbiguousName {
        written: String,
        name: String,
        managers: Vec<String>,
    },
    ContactWithoutName,
    ReviewWithoutCallType,
    /// A review's call type that is neither base nor inbound, as written.
    ReviewUnknownCallType(String),
    /// A deal export's totals line (`Итого,,,,,1000`): no ID, and nothing
    /// but numbers and a totals word.
    TotalsRow,
    /// A deal export's row with no ID, no name, no responsible and no
    /// stage: nothing a deal is made of.
    NoDealData,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::EmptyRow => f.write_str("empty row"),
            Skip::WithoutId { lead } => {
                write!(f, "{} row without an ID", if *lead { "lead" } else { "deal" })
            }
            Skip::ProductRow => {
                f.write_str("repeats a deal ID read before (a product row of that deal)")
            }
            Skip::DealRepeat => {
                f.write_str("repeats a deal ID read before (the same deal exported again)")
            }
            Skip::TaskRepeat => {
                f.write_str("repeats a task ID read before (overlapping exports)")
            }
            Skip::OlderCopy { kind, newer, by } => {
                let why = match by {
                    NewerBy::Changed => "changed later there",
                    NewerBy::NameDate => "a newer export by the date in its file name",
                    NewerBy::Modified => "a newer export by the file's modification time",
                    NewerBy::ReadingOrder => {
                        "read later; the exports' dates do not tell them apart"
                    }
                };
                match kind {
                    EntityKind::Calls => write!(
                        f,
                        "the same call is also in {newer} ({why}); counted once, from there"
                    ),
                    _ => write!(
                        f,
                        "an older copy of a {} also in {newer} ({why}); that copy is audited",
                        record_noun(*kind)
                    ),
                }
            }
            Skip::CallWithoutTime => f.write_str("call without a time"),
            Skip::CallWithoutDirection => f.write_str("call without a direction"),
            Skip::UnknownDirection(word) => write!(
                f,
                "call direction «{word}» is in no list of [values.{}]",
                <crate::value::Direction as crate::rules::values::Classes>::TABLE
            ),
            Skip::UnknownExtension(written) => {
                write!(f, "extension {written} is not in the managers roster")
            }
            Skip::NotAPerson(written) => {
                write!(f, "«{written}» is not a person (a queue, group or scenario?)")
            }
            Skip::CallWithoutManager => f.write_str("outgoing call without a manager"),
            Skip::UnknownName { written, name } => write!(
                f,
                "extension {written}: «{name}» is no manager of the deals or tasks read"
            ),
            Skip::AmbiguousName {
                written,
                name,
                managers,
            } => write!(
                f,
                "extension {written}: «{name}» may be any of {} (managers of the deals or tasks read)",
                managers.join(", ")
            ),
            Skip::ContactWithoutName => f.write_str("contact without a name"),
            Skip::ReviewWithoutCallType => f.write_str("reviewed call without a call type"),
            Skip::ReviewUnknownCallType(written) => write!(
                f,
                "reviewed call of type «{written}», neither «база» (base) nor «входящий» (inbound)"
            ),
            Skip::TotalsRow => f.write_str("totals row"),
            Skip::NoDealData => f.write_str("row with no deal data"),
        }
    }
}

/// What tells that the copy another export holds is the newer one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NewerBy {
    /// Its own modification date (`Дата изменения`) is later.
    Changed,
    /// Its file is the newer export (`input::newer`) by the date its name
    /// carries.
    NameDate,
    /// Its file is the newer export by its modification time (its day, or
    /// on one day the time).
    Modified,
    /// Its file was read later: nothing else told the exports apart.
    ReadingOrder,
}

/// A record of `kind`, as an English sentence names one.
fn record_noun(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Deals => "deal",
        EntityKind::Leads => "lead",
        EntityKind::Tasks => "task",
        EntityKind::Calls => "call",
        EntityKind::Contacts => "contact",
        EntityKind::CallReviews => "reviewed call",
    }
}

/// What a task's CRM link names: deals, or a lead export's leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    Deal,
    Lead,
}

/// What a reader should know about a file's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileNote {
    /// No `--sheet`: the first visible sheet was read, hidden ones before
    /// it passed over (their names).
    FirstVisibleSheet { sheet: String, hidden: Vec<String> },
    /// Manager names that held invisible format characters, removed.
    FormatCharacters(u64),
    /// A task whose CRM link names a title several deals (or leads) share.
    TitleShared {
        task: String,
        title: String,
        what: Linked,
        count: usize,
    },
    /// A task whose CRM link names a title no deal (or lead) has.
    TitleUnknown {
        task: String,
        title: String,
        what: Linked,
    },
    /// A task whose CRM cell links several deals (or leads).
    SeveralLinks {
        task: String,
        what: Linked,
        count: usize,
    },
    /// A manager's name written another way than the CRM's (a patronymic
    /// more or less, initials), taken as the one manager it fits.
    NameTakenAs { written: String, manager: String },
    /// A manager's name several managers of the CRM fit: taken as none.
    NameOfSeveral {
        written: String,
        managers: Vec<String>,
    },
    /// A manager's name that fits a manager of the CRM as other names do
    /// whose patronymics differ (two people): taken as none.
    NamesakesDiffer {
        written: String,
        manager: String,
        others: Vec<String>,
    },
}

/// Names in «», joined by commas.
pub(crate) fn quoted(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("«{n}»")).collect();
    names.join(", ")
}

impl fmt::Display for FileNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = |what: &Linked| match what {
            Linked::Deal => "deal",
            Linked::Lead => "lead",
        };
        match self {
            FileNote::FirstVisibleSheet { sheet, hidden } => {
                let hidden: Vec<String> = hidden.iter().map(|s| format!("«{s}»")).collect();
                write!(
                    f,
                    "read sheet «{sheet}», the first visible one; hidden before it: {}",
                    hidden.join(", ")
                )
            }
            FileNote::FormatCharacters(count) => write!(
                f,
                "{count} manager name(s) held invisible format characters \
                 (zero-width spaces, direction marks), removed"
            ),
            FileNote::TitleShared {
                task,
                title,
                what,
                count,
            } => write!(
                f,
                "task {task}: «{title}» is the title of {count} {}s; not linked to any",
                noun(what)
            ),
            FileNote::TitleUnknown { task, title, what } => {
                write!(f, "task {task}: «{title}» matches no {}", noun(what))
            }
            FileNote::SeveralLinks { task, what, count } => write!(
                f,
                "task {task}: its CRM cell links {count} {}s; not linked to any",
                noun(what)
            ),
            FileNote::NameTakenAs { written, manager } => {
                write!(f, "manager «{written}» taken as {manager}")
            }
            FileNote::NameOfSeveral { written, managers } => write!(
                f,
                "manager «{written}» may be {}: taken as neither, \
                 and the days of its outgoing calls not judged for the quota",
                managers.join(" or ")
            ),
            FileNote::NamesakesDiffer {
                written,
                manager,
                others,
            } => write!(
                f,
                "manager «{written}» fits {manager}, and so do names of another patronymic ({}): \
                 not knowing which is {manager}, taken as none, \
                 and the days of its outgoing calls not judged for the quota",
                quoted(others)
            ),
        }
    }
}

/// One layout a stray file came closest to fitting: each identifying
/// field's possible headers, and those of the fields it lacked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    pub kind: EntityKind,
    pub needs: Vec<Vec<String>>,
    pub missing: Vec<Vec<String>>,
}

/// Why a file is no export crm-audit knows (a stray in a folder is
/// skipped and listed with it; a file named on the command line is an
/// error saying it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotExport {
    /// A report of crm-audit's own.
    OwnReport(OwnReport),
    /// The spreadsheet reader's own words (English, from the library).
    NotASpreadsheet(String),
    NoSheets,
    HtmlWithoutTable,
    Empty,
    /// No row among the first `rows` is a known header; the layouts it
    /// came closest to, the closest first.
    NoHeader {
        rows: usize,
        closest: Vec<Closest>,
    },
}

/// Which report of crm-audit's own a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnReport {
    Json,
    Html,
    Xlsx,
    Csv,
}

/// `"Срок" or "due"`: how a person reads the headers a field may have.
pub fn either(names: &[String], or: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    quoted.join(or)
}

impl fmt::Display for NotExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotExport::OwnReport(own) => {
                let what = match own {
                    OwnReport::Json => "JSON",
                    OwnReport::Html => "HTML",
                    OwnReport::Xlsx => {
                        "XLSX: sheets Summary, Violations, Fix first, Inputs, About"
                    }
                    OwnReport::Csv => "CSV, one row per violation",
                };
                write!(
                    f,
                    "a crm-audit report ({what}), not an export; reports are not audited"
                )
            }
            NotExport::NotASpreadsheet(e) => write!(f, "cannot open as a spreadsheet: {e}"),
            NotExport::NoSheets => f.write_str("the workbook has no sheets"),
            NotExport::HtmlWithoutTable => {
                f.write_str("an HTML file with no table; expected a Bitrix24 export saved as .xls")
            }
            NotExport::Empty => f.write_str(
                "the file is empty; expected a deal, task, call or contact export with a header row",
            ),
            NotExport::NoHeader { rows, closest } => {
                let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
                write!(
                    f,
                    "not recognised as {}: no header row found in the first {rows} rows.",
                    kinds.join(", ")
                )?;
                for c in closest {
                    let list = |fields: &[Vec<String>]| {
                        let each: Vec<String> = fields.iter().map(|n| either(n, " or ")).collect();
                        each.join(", ")
                    };
                    write!(
                        f,
                        "\n  {} needs {}; missing {}",
                        c.kind.as_str(),
                        list(&c.needs),
                        list(&c.missing)
                    )?;
                }
                Ok(())
            }
        }
    }
}
