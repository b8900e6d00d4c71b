//! Putting read pieces together, in file order, into one `Dataset`: the
//! pieces' managers, stages and pipelines renumbered into one table each,
//! their line numbers carried on, and rows of one file repeating a deal ID
//! merged into the deal's first row there (Bitrix24 repeats a deal per
//! product, each row adding its amount to the budget). Overlapping exports
//! repeat a deal too: of two files' copies the newer is kept whole, in the
//! place of the deal's first copy, and the other's row is skipped as an
//! older copy (`deals::newer`, `input::newer`).
//!
//! Taken in order, pieces give the same dataset as reading every row on
//! one thread: a manager's name as first written, ids in order of first
//! appearance, and the first row of a deal the one others merge into.

use super::deals;
use super::part::{Buffers, Part, Tally};
use super::reason::{FileNote, Skip};
use crate::id_index::IdIndex;
use crate::model::{Dataset, FileId, InputFile, PackedMoment, StageId, Text};
use crate::rules::columns::EntityKind;
use crate::rules::PipelineId;
use crate::rules::RuleSet;
use rustc_hash::FxHashMap;

pub(super) struct Merger<'r> {
    rules: &'r RuleSet,
    data: Dataset,
    /// Manager ids by name, case ignored.
    managers: super::People,
    /// Per manager id, the `same_person::rank` of the file whose spelling
    /// names them: a deal export's spelling replaces a call log's.
    manager_spelt_by: Vec<u8>,
    stage_ids: FxHashMap<(PipelineId, Box<str>), StageId>,
    deal_index: IdIndex,
    /// Leads by ID: a lead and a deal of one ID are two records.
    lead_index: IdIndex,
    /// Per file, manager names that held format characters (removed).
    format_chars: Vec<u64>,
    /// Each deal's (and lead's) modification date, by index.
    deal_modified: Vec<PackedMoment>,
    /// Each file's place from the oldest export to the newest.
    ranks: super::newer::ExportOrder,
    /// The row of each call, kept only when two call logs are read (they
    /// may overlap).
    call_rows: Option<Vec<crate::model::CallRow>>,
}

/// A deal's copy read from another export than the deal kept so far.
struct OtherCopy {
    deal: crate::model::Deal,
    modified: PackedMoment,
    /// Its catalog texts (a deal's stride of `deal_values`).
    texts: Vec<Text>,
    cells: Option<crate::model::Unreadable>,
}

/// How a piece's numbering carries into the whole dataset.
struct Shift {
    /// The dataset's id of each of the piece's managers, pipelines, stages.
    managers: Vec<u32>,
    pipelines: Vec<u32>,
    stages: Vec<StageId>,
    /// How many lines of its file come before the piece.
    line_base: u64,
    /// Where the piece's texts start in the dataset's.
    by: usize,
    /// The file's path as shown, to name a record without an ID.
    path: String,
}

impl<'r> Merger<'r> {
    pub(super) fn new(
        rules: &'r RuleSet,
        files: Vec<InputFile>,
        as_of: Option<chrono::NaiveDate>,
        call_copies: bool,
    ) -> Self {
        let files_len = files.len();
        let ranks = super::newer::file_ranks(&files, rules.time_zone, as_of);
        let call_rows = call_copies.then(Vec::new);
        let mut data = Dataset {
            files,
            ..Dataset::default()
        };
        data.pipelines.intern("");
        Merger {
            rules,
            data,
            managers: super::People::default(),
            manager_spelt_by: Vec::new(),
            stage_ids: FxHashMap::default(),
            deal_index: IdIndex::default(),
            lead_index: IdIndex::default(),
            format_chars: vec![0; files_len],
            deal_modified: Vec::new(),
            ranks,
            call_rows,
        }
    }

    /// Adds the next piece of `file`, whose lines count on from
    /// `line_base`; gives back the piece's buffers, emptied.
    pub(super) fn add(&mut self, file: FileId, part: Part, line_base: u64) -> Buffers {
        let Part {
            data: mut piece,
            tally,
            ..
        } = part;
        let shift = self.shift(&mut piece, file, line_base);
        self.add_tally(file, tally, line_base);
        self.add_deals(&mut piece, &shift);
        self.add_tasks(&mut piece, &shift);
        self.add_calls(&mut piece, &shift);
        Buffers::take_from(&mut piece)
    }

    /// The piece's managers, pipelines and stages numbered in the whole
    /// dataset, and its texts appended to the dataset's.
    fn shift(&mut self, piece: &mut Dataset, file: FileId, line_base: u64) -> Shift {
        let rank = super::same_person::rank(self.data.file(file).kind);
        let managers: Vec<u32> = (0..piece.managers.len() as u32)
            .map(|id| self.manager(piece.managers.name(id), rank))
            .collect();
        let pipelines: Vec<u32> = (0..piece.pipelines.len() as u32)
            .map(|id| self.data.pipelines.intern(piece.pipelines.name(id)))
            .collect();
        let stages: Vec<StageId> = std::mem::take(&mut piece.stages)
            .into_iter()
            .map(|entry| self.stage(entry))
            .collect();
        Shift {
            managers,
            pipelines,
            stages,
            line_base,
            by: self.data.texts.append(&piece.texts),
            path: input_path(&self.data, file),
        }
    }

    /// The piece's rows counted in its file: read, audited, skipped (the
    /// skipped rows' lines counted on from `line_base`).
    fn add_tally(&mut self, file: FileId, tally: Tally, line_base: u64) {
        self.format_chars[usize::from(file)] += tally.format_chars;
        let input = &mut self.data.files[usize::from(file)];
        input.rows += tally.rows;
        input.audited += tally.audited;
        for (reason, rows) in tally.skipped {
            let kept = input.skipped.entry(reason).or_default();
            kept.extend(rows.into_iter().map(|r| r + line_base));
        }
    }

    /// The piece's tasks, each placed in its file; a task without an ID
    /// named by where it is, `FILE:ROW`.
    fn add_tasks(&mut self, piece: &mut Dataset, shift: &Shift) {
        let by = shift.by;
        self.data.tasks.reserve(piece.tasks.len());
        let mut unreadable = std::mem::take(&mut piece.unreadable_tasks);
        for (local, mut task) in piece.tasks.drain(..).enumerate() {
            task.manager = shift.managers[task.manager as usize];
            task.row += shift.line_base;
            if let Some(cells) = unreadable.remove(&(task.file, local as u64)) {
                let cells = located(cells, task.row);
                self.data
                    .unreadable_tasks
                    .insert((task.file, task.row), cells);
            }
            task.id = task.id.shifted(by);
            task.deal_id = task.deal_id.shifted(by);
            task.deal_title = task.deal_title.shifted(by);
            task.failed_result = task.failed_result.shifted(by);
            if task.id.is_empty() {
                let named = format!("{}:{}", shift.path, task.row);
                task.id = self.data.texts.keep(&named).unwrap_or(Text::EMPTY);
            }
            self.data.tasks.push(task);
        }
        self.data
            .task_values
            .extend(piece.task_values.iter().map(|t| t.shifted(by)));
    }

    /// The piece's calls, contacts and call reviews, and what its call
    /// rows counted (words no list has, names that are no person's, the
    /// deals the calls name).
    fn add_calls(&mut self, piece: &mut Dataset, shift: &Shift) {
        let managers = &shift.managers;
        self.data.calls.reserve(piece.calls.len());
        for mut call in piece.calls.drain(..) {
            call.manager = managers[call.manager as usize];
            self.data.calls.push(call);
        }
        let rows = piece.call_rows.drain(..);
        if let Some(kept) = &mut self.call_rows {
            kept.extend(rows.map(|r| crate::model::CallRow {
                row: r.row + shift.line_base,
                ..r
            }));
        }
        self.data.contacts.extend(
            std::mem::take(&mut piece.contacts)
                .into_iter()
                .map(|mut c| {
                    c.implausible_phones = c.implausible_phones.shifted(shift.by);
                    c
                }),
        );
        for mut review in std::mem::take(&mut piece.reviews) {
            review.manager = managers[review.manager as usize];
            review.row += shift.line_base;
            self.data.reviews.push(review);
        }
        for mut call in std::mem::take(&mut piece.unreadable_calls) {
            call.manager = managers[call.manager as usize];
            self.locate_call(&mut call, shift);
            self.data.unreadable_calls.push(call);
        }
        for mut named in piece.named_calls.drain(..) {
            named.row += shift.line_base;
            if let crate::model::LoggedCall::Unreadable(call) = &mut named.call {
                // Its manager is settled later, by the name.
                self.locate_call(call, shift);
            }
            self.data.named_calls.push(named);
        }
        self.data
            .unattributed_calls
            .append(&mut piece.unattributed_calls);
        for (word, rows) in std::mem::take(&mut piece.unclassified) {
            *self.data.unclassified.entry(word).or_default() += rows;
        }
        for (name, calls) in std::mem::take(&mut piece.not_people) {
            *self.data.not_people.entry(name).or_default() += calls;
        }
        self.data.spent.append(&mut piece.spent);
        for (deal, count) in std::mem::take(&mut piece.call_deal_ids) {
            *self.data.call_deal_ids.entry(deal).or_default() += count;
        }
    }

    /// The deals of a piece, each new ID added; a repeat of a deal in
    /// its file merged into the deal's first row there, and a copy of a
    /// deal another file holds kept instead of it when newer.
    fn add_deals(&mut self, piece: &mut Dataset, shift: &Shift) {
        let Shift {
            managers,
            pipelines,
            stages,
            line_base,
            by,
            ..
        } = shift;
        let (line_base, by) = (*line_base, *by);
        let stride = self.rules.deal_fields.value_count();
        let mut values = piece.deal_values.drain(..);
        let mut modified = piece.deal_modified.drain(..);
        self.data.deals.reserve(piece.deals.len());
        let mut unreadable = std::mem::take(&mut piece.unreadable_deals);
        for (local, mut deal) in piece.deals.drain(..).enumerate() {
            deal.manager = managers[deal.manager as usize];
            deal.pipeline = pipelines[deal.pipeline as usize];
            deal.stage = stages[deal.stage as usize];
            deal.row += line_base;
            deal.id = deal.id.shifted(by);
            deal.name = deal.name.shifted(by);
            deal.contact_name = deal.contact_name.shifted(by);
            deal.implausible_phones = deal.implausible_phones.shifted(by);
            let changed = modified.next().unwrap_or(PackedMoment::NONE);
            let cells = unreadable
                .remove(&(local as u32))
                .map(|u| crate::model::Unreadable {
                    cells: located(u.cells, deal.row),
                    ..u
                });
            let texts = values.by_ref().take(stride).map(|t| t.shifted(by));
            let (deals, arena) = (&self.data.deals, &self.data.texts);
            let index = deals.len() as u32;
            let id = arena.get(deal.id);
            let ids = if self.data.files[usize::from(deal.file)].kind == EntityKind::Leads {
                &mut self.lead_index
            } else {
                &mut self.deal_index
            };
            let first = ids.find_or_insert(id, index, |d| arena.get(deals[d as usize].id));
            match first {
                Some(first) if self.data.deals[first as usize].file != deal.file => {
                    let copy = OtherCopy {
                        deal,
                        modified: changed,
                        texts: texts.collect(),
                        cells,
                    };
                    self.keep_newer(first as usize, copy);
                }
                Some(first) => {
                    let first = first as usize;
                    // The repeat's texts fill the first row's blanks.
                    for (slot, text) in texts.enumerate() {
                        let kept = &mut self.data.deal_values[first * stride + slot];
                        if kept.is_empty() {
                            *kept = text;
                        }
                    }
                    if let Some(cells) = cells {
                        self.add_unreadable(first as u32, cells);
                    }
                    let stage_empty = self.data.stage(&self.data.deals[first]).text.is_empty();
                    let input = &mut self.data.files[usize::from(deal.file)];
                    // Only rows of the one file that first wrote the deal
                    // are its products: another file is another export.
                    let product_row = deals::adds_up_products(|f| input.has(f.index()));
                    input.audited -= 1;
                    let why = if product_row {
                        Skip::ProductRow
                    } else {
                        Skip::DealRepeat
                    };
                    input.skip(why, deal.row);
                    deals::merge(&mut self.data.deals[first], deal, stage_empty, product_row);
                }
                None => {
                    if let Some(cells) = cells {
                        self.data.unreadable_deals.insert(index, cells);
                    }
                    self.data.deals.push(deal);
                    self.data.deal_values.extend(texts);
                    self.deal_modified.push(changed);
                }
            }
        }
    }

    /// Of a deal's copy from another export and the deal kept so far (at
    /// `first`), keeps the newer whole (its stage, manager, budget, every
    /// field, a blank one blank, its unreadable cells and its row) and
    /// accounts the other's row as an older copy, skipped.
    fn keep_newer(&mut self, first: usize, copy: OtherCopy) {
        let (kept_file, copy_file) = (self.data.deals[first].file, copy.deal.file);
        let copy_newer = self.ranks[usize::from(copy_file)] > self.ranks[usize::from(kept_file)];
        let export_by = if copy_newer {
            self.ranks.newer_by(kept_file, copy_file)
        } else {
            self.ranks.newer_by(copy_file, kept_file)
        };
        let (copy_wins, by) = deals::newer(
            copy.modified.get(),
            self.deal_modified[first].get(),
            copy_newer,
            export_by,
        );
        let kind = self.data.files[usize::from(kept_file)].kind;
        let (older, newer) = if copy_wins {
            let stride = copy.texts.len();
            self.data.deal_values[first * stride..(first + 1) * stride]
                .copy_from_slice(&copy.texts);
            self.deal_modified[first] = copy.modified;
            match copy.cells {
                Some(cells) => self.data.unreadable_deals.insert(first as u32, cells),
                None => self.data.unreadable_deals.remove(&(first as u32)),
            };
            let older = std::mem::replace(&mut self.data.deals[first], copy.deal);
            ((older.file, older.row), copy_file)
        } else {
            // The older copy's unreadable cells are no finding of the deal.
            ((copy_file, copy.deal.row), kept_file)
        };
        let newer = self.data.files[usize::from(newer)].path.clone();
        let input = &mut self.data.files[usize::from(older.0)];
        input.audited -= 1;
        input.skip(Skip::OlderCopy { kind, newer, by }, older.1);
    }

    /// An unreadable call of a piece placed in its file: its row, its
    /// cells led by the file and row, its ID `FILE:LINE` where the log
    /// gives none.
    fn locate_call(&mut self, call: &mut crate::model::UnreadableCall, shift: &Shift) {
        call.row += shift.line_base;
        call.cells = located(std::mem::take(&mut call.cells), call.row);
        call.id = call.id.shifted(shift.by);
        if call.id.is_empty() {
            let named = format!("{}:{}", shift.path, call.row);
            call.id = self.data.texts.keep(&named).unwrap_or(Text::EMPTY);
        }
    }

    /// Adds a repeat row's unreadable cells to its deal's.
    fn add_unreadable(&mut self, first: u32, repeat: crate::model::Unreadable) {
        match self.data.unreadable_deals.get_mut(&first) {
            None => {
                self.data.unreadable_deals.insert(first, repeat);
            }
            Some(kept) => {
                kept.cells.extend(repeat.cells);
                kept.nearest_task |= repeat.nearest_task;
            }
        }
    }

    /// The id of a manager named as a piece of a file of `rank` wrote
    /// the name: spelt as first written by the file nearest the CRM.
    fn manager(&mut self, name: &str, rank: u8) -> u32 {
        let id = self.managers.id(&mut self.data.managers, name);
        let slot = id as usize;
        if slot >= self.manager_spelt_by.len() {
            self.manager_spelt_by.resize(slot + 1, u8::MAX);
        }
        if rank < self.manager_spelt_by[slot] {
            if self.manager_spelt_by[slot] != u8::MAX {
                self.data.managers.rename(id, name);
            }
            self.manager_spelt_by[slot] = rank;
        }
        id
    }

    fn stage(&mut self, entry: crate::model::StageEntry) -> StageId {
        let key = (entry.pipeline, entry.text.clone());
        if let Some(&id) = self.stage_ids.get(&key) {
            return id;
        }
        let id = self.data.stages.len() as StageId;
        self.data.stages.push(entry);
        self.stage_ids.insert(key, id);
        id
    }

    /// The dataset, its deals indexed by ID, its leads, and each file's
    /// place from the oldest export to the newest (`input::newer`).
    pub(super) fn finish(mut self) -> (Dataset, IdIndex, IdIndex, super::newer::ExportOrder) {
        super::same_person::settle(&mut self.data);
        super::same_person::take_roster_names(&mut self.data, &self.rules.roster);
        super::named_calls::settle(&mut self.data, self.call_rows.as_mut());
        if let Some(rows) = self.call_rows.take() {
            super::repeated_calls::drop_older_copies(&mut self.data, &rows, &self.ranks);
        }
        for (input, &count) in self.data.files.iter_mut().zip(&self.format_chars) {
            if count > 0 {
                input.notes.push(FileNote::FormatCharacters(count));
            }
        }
        (self.data, self.deal_index, self.lead_index, self.ranks)
    }
}

/// A record's unreadable cells placed at its row in the file, now that it
/// is known (a piece numbers its rows from its start).
fn located(
    mut cells: Vec<crate::input::error::UnreadableCell>,
    row: u64,
) -> Vec<crate::input::error::UnreadableCell> {
    for cell in &mut cells {
        cell.row = row;
    }
    cells
}

fn input_path(data: &Dataset, file: FileId) -> String {
    data.file(file).path.clone()
}
