//! One piece of reading: a stretch of a CSV file, or a run of a sheet's rows,
//! turned into records by a `Loader` of its own, so pieces can be read on
//! several threads at once. A piece's managers, stages and pipelines are
//! numbered within the piece and its line numbers count from its first
//! line; `merge` puts pieces together in file order.

use super::csv_source::{CsvSource, Stretch};
use super::plan::{Body, Plan};
use super::reason::Skip;
use super::row::{Header, Row};
use super::source::{Cell, RowSource};
use super::{calls, contacts, deals, reviews, tasks, LoadOptions, Loader, Needs};
use crate::model::Dataset;
use crate::rules::columns::EntityKind;
use crate::rules::RuleSet;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What one piece covers.
pub(super) enum Work {
    /// A stretch of a CSV file; the first skips the header's records.
    Stretch {
        stretch: Stretch,
        skip_records: usize,
    },
    /// A whole source already open (a workbook): taken by the one thread
    /// that reads it.
    Source(Mutex<Option<Box<dyn RowSource + Send>>>),
}

/// A piece to read: which file, and what of it.
pub(super) struct Piece {
    /// An index into the plans.
    pub(super) plan: usize,
    pub(super) work: Work,
}

/// The rows a piece read and what became of them.
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub(super) rows: u64,
    pub(super) audited: u64,
    /// Rows not audited, by reason (row numbers as the piece counts them).
    pub(super) skipped: BTreeMap<Skip, Vec<u64>>,
    /// Manager names that held format characters (removed).
    pub(super) format_chars: u64,
}

impl Tally {
    fn skip(&mut self, reason: Skip, row: u64) {
        self.skipped.entry(reason).or_default().push(row);
    }
}

/// The record buffers of a piece, emptied by the merge and handed to the
/// next piece: reading reuses memory instead of asking for fresh pages
/// (and growing each buffer anew) for every piece.
#[derive(Default)]
pub(super) struct Buffers {
    pub(super) deals: Vec<crate::model::Deal>,
    pub(super) tasks: Vec<crate::model::Task>,
    pub(super) calls: Vec<crate::model::Call>,
    pub(super) texts: crate::model::Texts,
    pub(super) deal_values: Vec<crate::model::Text>,
    pub(super) task_values: Vec<crate::model::Text>,
}

impl Buffers {
    /// Takes the buffers out of a merged piece, emptied.
    pub(super) fn take_from(data: &mut Dataset) -> Buffers {
        let mut buffers = Buffers {
            deals: std::mem::take(&mut data.deals),
            tasks: std::mem::take(&mut data.tasks),
            calls: std::mem::take(&mut data.calls),
            texts: std::mem::take(&mut data.texts),
            deal_values: std::mem::take(&mut data.deal_values),
            task_values: std::mem::take(&mut data.task_values),
        };
        buffers.deals.clear();
        buffers.tasks.clear();
        buffers.calls.clear();
        buffers.texts.clear();
        buffers.deal_values.clear();
        buffers.task_values.clear();
        buffers
    }

    fn into_dataset(self) -> Dataset {
        Dataset {
            deals: self.deals,
            tasks: self.tasks,
            calls: self.calls,
            texts: self.texts,
            deal_values: self.deal_values,
            task_values: self.task_values,
            ..Dataset::default()
        }
    }
}

/// A piece read.
pub(super) struct Part {
    /// Its records; managers, stages and pipelines numbered in the piece.
    pub(super) data: Dataset,
    pub(super) tally: Tally,
    /// Line feeds read: the next piece's lines count on from here.
    pub(super) lines: u64,
    /// How many following pieces this one read on into (a record open at
    /// its end): those are dropped.
    pub(super) absorbed: usize,
}

/// What every piece's reading shares.
pub(super) struct Shared<'a> {
    pub(super) rules: &'a RuleSet,
    pub(super) needs: &'a Needs,
    pub(super) options: &'a LoadOptions,
    pub(super) plans: &'a [Plan],
    /// Buffers of merged pieces, for the next pieces to fill.
    pub(super) spare: Mutex<Vec<Buffers>>,
}

impl Shared<'_> {
    /// Hands a merged piece's emptied buffers to the pieces still to read.
    pub(super) fn give_back(&self, buffers: Buffers) {
        if let Ok(mut spare) = self.spare.lock() {
            spare.push(buffers);
        }
    }

    /// Reads a piece, its lines numbered from `first_line`.
    pub(super) fn read(&self, piece: &Piece, first_line: u64) -> anyhow::Result<Part> {
        let plan = &self.plans[piece.plan];
        let buffers = self
            .spare
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default();
        let mut loader = Loader::new(self.rules, self.needs, buffers.into_dataset());
        loader.lenient_values = self.needs.unreadable_findings && !self.options.strict;
        loader.strict = self.options.strict;
        let header = Header {
            path: &plan.shown,
            cells: &plan.header_cells,
            columns: &plan.columns,
            time_zone: self.rules.time_zone,
        };
        let mut tally = Tally::default();
        let (lines, absorbed) = match &piece.work {
            Work::Stretch {
                stretch,
                skip_records,
            } => {
                let (encoding, delimiter) = plan.csv.expect("stretches are CSV");
                let stretch = Stretch {
                    first_line,
                    ..stretch.clone()
                };
                let mut source = CsvSource::open_stretch(
                    &plan.path,
                    encoding,
                    delimiter,
                    plan.size,
                    stretch,
                    self.options.progress.clone(),
                )?;
                source.skip_records(*skip_records)?;
                source.read_only(plan.read_columns());
                read_rows(
                    &mut loader,
                    &header,
                    plan,
                    &mut source,
                    self.options,
                    &mut tally,
                )?;
                (source.next_line() - first_line, source.absorbed())
            }
            Work::Source(cell) => {
                let taken = cell.lock().map(|mut s| s.take()).ok().flatten();
                let mut source = taken.expect("a whole source is read once");
                read_rows(
                    &mut loader,
                    &header,
                    plan,
                    source.as_mut(),
                    self.options,
                    &mut tally,
                )?;
                if let Some(progress) = &self.options.progress {
                    progress.advance(plan.size / plan.pieces.max(1));
                }
                // The last piece of a sheet would free millions of cells
                // while the rules run, contending for the allocator.
                loader.data.spent.push(Box::new(source));
                (0, 0)
            }
        };
        tally.format_chars = loader.format_chars;
        Ok(Part {
            data: loader.data,
            tally,
            lines,
            absorbed,
        })
    }
}

/// The pieces of a planned file.
/// `cuts` are a CSV file's stretch starts; a sheet is cut every
/// `sheet_rows` rows.
pub(super) fn pieces(plan: usize, body: Body, cuts: &[u64], sheet_rows: usize) -> Vec<Piece> {
    match body {
        Body::Csv { header_records } => (0..=cuts.len())
            .map(|k| Piece {
                plan,
                work: Work::Stretch {
                    stretch: Stretch {
                        start: if k == 0 { 0 } else { cuts[k - 1] },
                        ends: cuts[k..].to_vec(),
                        first_line: 1,
                    },
                    skip_records: if k == 0 { header_records } else { 0 },
                },
            })
            .collect(),
        Body::Opened(source) => source
            .split(sheet_rows)
            .into_iter()
            .map(|source| Piece {
                plan,
                work: Work::Source(Mutex::new(Some(source))),
            })
            .collect(),
    }
}

/// Every row of `source` to its end: a record, or a skipped row with its
/// reason.
fn read_rows(
    loader: &mut Loader,
    header: &Header,
    plan: &Plan,
    source: &mut dyn RowSource,
    options: &LoadOptions,
    tally: &mut Tally,
) -> anyhow::Result<()> {
    let file = plan.file;
    loop {
        let more = source.next_row()?;
        for &line in source.blank_lines() {
            tally.rows += 1;
            tally.skip(Skip::EmptyRow, line);
        }
        if !more {
            return Ok(());
        }
        let row = Row {
            header,
            source: &*source,
        };
        let number = row.number();
        if source.may_hold_errors() {
            // A cell a field reads holding `#N/A` is no value to audit.
            for column in plan.read_columns() {
                if let Cell::Error(error) = source.cell(column) {
                    return Err(row.error(column, &format!("the cell holds the error {error}")));
                }
            }
        }
        let skipped = if row.is_blank() {
            Some(Skip::EmptyRow)
        } else {
            match plan.kind {
                EntityKind::Deals => deals::read(loader, &row, file, &plan.catalog, false)?,
                EntityKind::Leads => deals::read(loader, &row, file, &plan.catalog, true)?,
                EntityKind::Tasks => tasks::read(loader, &row, file, &plan.catalog)?,
                EntityKind::Calls => {
                    calls::read(loader, &row, file, &plan.owners, options.for_inspection)?
                }
                EntityKind::Contacts => contacts::read(loader, &row)?,
                EntityKind::CallReviews => reviews::read(loader, &row, file)?,
            }
        };
        tally.rows += 1;
        match skipped {
            Some(reason) => tally.skip(reason, number),
            None => tally.audited += 1,
        }
    }
}
