//! The report's violations, kept compact until a format writes them.
//!
//! A neglected company has hundreds of thousands of violations, and each
//! written out (its message, details, names and IDs as texts) takes about a
//! kilobyte. Held together until written, they were half the memory of a
//! run at a million deals. So the report keeps each violation as the
//! engine found it, in the report's order, and makes its texts only when
//! asked: the JSON, JSON Lines and CSV writers take one at a time and drop
//! it once written; the formats that look violations up per manager or
//! rule (HTML, Markdown, the workbook, JUnit, the terminal's lists) ask for
//! them all at once (`slice`), made once and kept.
//!
//! Whatever asks, a violation reads the same: the statuses a history gives
//! and the passes that rewrite texts (`--mask-phones`, the terminal's
//! escaping) are kept beside the compact list and applied to each
//! violation as it is made, in the order they were given.

use super::history::ViolationStatus;
use super::texts::{self, TextPass};
use super::view::View;
use super::ViolationReport;
use crate::audit::{Entity, Violation};
use crate::model::Dataset;
use crate::rules::{RuleSet, Severity};
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

/// How many violations a thread of [`Violations::write_in_chunks`] writes
/// at a time: about 400 KB of JSON. A few runs per thread are written or
/// waiting at once, and their buffers are kept for reuse.
pub(super) const CHUNK: usize = 512;

/// The violations of a report, in its order.
#[derive(Clone)]
pub struct Violations<'a> {
    /// What each violation is made from; none for a list given whole
    /// (`From<Vec<ViolationReport>>`), which is then in `rendered`.
    compact: Option<Compact<'a>>,
    /// Every violation written out, once a format asked for them all;
    /// shared, so that a copy of the report copies none of them.
    rendered: OnceCell<Arc<Vec<ViolationReport>>>,
}

/// What the counts of a report read of a violation.
pub struct Key<'r> {
    pub severity: Severity,
    pub status: Option<&'r ViolationStatus>,
    /// The manager as the inputs name them: before any text pass (the
    /// report's manager lines are rewritten by the same passes).
    pub manager: &'r str,
}

/// The engine's violations in the report's order, with what is needed to
/// write each. Shared (`Arc`) so that a copy of the report (the terminal's
/// escaped one, a history's annotated one) copies no violation.
#[derive(Clone)]
struct Compact<'a> {
    data: &'a Dataset,
    rules: &'a RuleSet,
    order: Arc<[&'a Violation]>,
    /// With a history or a baseline: each violation's status.
    statuses: Option<Arc<[Option<ViolationStatus>]>>,
    /// Text passes to apply to each violation as it is made.
    passes: Vec<TextPass>,
}

impl<'a> Compact<'a> {
    /// Violation `i`, borrowed where it lies; the text passes are not
    /// applied (`render`).
    fn view(&self, i: usize) -> View<'_> {
        View::of(self.data, self.rules, self.order[i], self.status(i))
    }

    /// Violation `i`'s status, with a history or a baseline.
    fn status(&self, i: usize) -> Option<&ViolationStatus> {
        self.statuses.as_ref().and_then(|s| s.get(i)?.as_ref())
    }

    fn render(&self, i: usize) -> ViolationReport {
        let mut v = self.view(i).to_report();
        for &pass in &self.passes {
            texts::rewrite_violation(&mut v, pass);
        }
        v
    }

    /// Reads ahead the scattered part of what rendering violations `run`
    /// will read: each violation and its first detail, a deal's or a
    /// task's record (and a task's deal), and the first bytes of their
    /// IDs and names (stages, managers and files are few, and cached).
    /// In the report's order they lie all over memory, and rendering one
    /// at a time waits on each in turn; these loads do not wait on one
    /// another, so the processor has many in flight, and the rendering
    /// then finds them in the cache.
    fn warm(&self, run: std::ops::Range<usize>) {
        let data = self.data;
        let mut texts = Vec::with_capacity(run.len() * 3);
        let mut seen = 0usize;
        for &v in &self.order[run] {
            seen ^= v.details.first().map_or(0, |d| d.key.len());
            match v.entity {
                Entity::Deal(i) => {
                    let d = &data.deals[i];
                    texts.extend([d.id, d.name]);
                }
                Entity::Task(i) => {
                    let t = &data.tasks[i];
                    texts.extend([t.id, t.deal_id]);
                    if let Some(deal) = t.deal() {
                        texts.push(data.deals[deal].name);
                    }
                }
                _ => {}
            }
        }
        for text in texts {
            seen ^= usize::from(data.text(text).as_bytes().first().copied().unwrap_or(0));
        }
        std::hint::black_box(seen);
    }

    fn render_all(&self) -> Vec<ViolationReport> {
        (0..self.order.len()).map(|i| self.render(i)).collect()
    }
}

impl<'a> Violations<'a> {
    /// The engine's violations `order`ed as the report lists them.
    pub(super) fn compact(
        data: &'a Dataset,
        rules: &'a RuleSet,
        order: Vec<&'a Violation>,
    ) -> Self {
        Violations {
            compact: Some(Compact {
                data,
                rules,
                order: order.into(),
                statuses: None,
                passes: Vec::new(),
            }),
            rendered: OnceCell::new(),
        }
    }

    pub fn len(&self) -> usize {
        match (&self.compact, self.rendered.get()) {
            (Some(c), _) => c.order.len(),
            (None, Some(all)) => all.len(),
            (None, None) => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each violation written out, one at a time: made as it is asked
    /// for, unless all were made already.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, ViolationReport>> + '_ {
        let (made, to_make) = match (self.rendered.get(), &self.compact) {
            (Some(all), _) => (Some(all.iter().map(Cow::Borrowed)), None),
            (None, Some(c)) => (
                None,
                Some((0..c.order.len()).map(move |i| Cow::Owned(c.render(i)))),
            ),
            (None, None) => (None, None),
        };
        made.into_iter()
            .flatten()
            .chain(to_make.into_iter().flatten())
    }

    /// Each violation put into bytes by `write`, on every core: the
    /// violations are cut into runs of [`CHUNK`], each run's bytes handed
    /// to `take` in the report's order, the threads a bounded number of
    /// runs ahead. The bytes are those of writing them one by one. `write`
    /// has a text of its own to fill and clear as it likes (one for each
    /// run, kept from one violation to the next).
    pub(super) fn write_in_chunks(
        &self,
        write: impl Fn(&View, &mut Vec<u8>, &mut String) -> anyhow::Result<()> + Sync,
        mut take: impl FnMut(&[u8]) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let runs: Vec<std::ops::Range<usize>> = (0..self.len())
            .step_by(CHUNK)
            .map(|start| start..(start + CHUNK).min(self.len()))
            .collect();
        let made = self.rendered.get();
        let compact = self.compact.as_ref();
        // Buffers written out come back for the next runs: a fresh one
        // each run was new pages each time (a second of system time for
        // 600 MB of JSON).
        let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::default();
        let one_run = |run: &std::ops::Range<usize>| -> anyhow::Result<Vec<u8>> {
            let reused = spare.lock().ok().and_then(|mut s| s.pop());
            let mut bytes = reused.unwrap_or_default();
            bytes.clear();
            let mut scratch = String::new();
            if let (None, Some(c)) = (made, compact) {
                c.warm(run.clone());
            }
            for i in run.clone() {
                match (made, compact) {
                    (Some(all), _) => write(&View::of_report(&all[i]), &mut bytes, &mut scratch)?,
                    // Borrowed where it lies, unless a pass rewrites its
                    // texts.
                    (None, Some(c)) if c.passes.is_empty() => {
                        write(&c.view(i), &mut bytes, &mut scratch)?
                    }
                    (None, Some(c)) => {
                        write(&View::of_report(&c.render(i)), &mut bytes, &mut scratch)?
                    }
                    (None, None) => {}
                }
            }
            Ok(bytes)
        };
        let threads = crate::parallel::cores();
        // Writing a run to a file takes as long as making one, and a write
        // now and then much longer: room for a few megabytes of runs
        // keeps the threads at work meanwhile (64 runs at most, 25 MB,
        // or one a thread on a machine of more cores).
        let ahead = (8 * threads).min(64).max(threads);
        crate::parallel::in_order_ahead(&runs, threads, ahead, one_run, |_, bytes| {
            let bytes = bytes?;
            take(&bytes)?;
            if let Ok(mut s) = spare.lock() {
                s.push(bytes);
            }
            Ok(())
        })
    }

    /// Every violation written out, made on the first call and kept.
    pub fn slice(&self) -> &[ViolationReport] {
        self.rendered.get_or_init(|| {
            Arc::new(
                self.compact
                    .as_ref()
                    .map(Compact::render_all)
                    .unwrap_or_default(),
            )
        })
    }

    /// Each violation's severity, status and manager, without making its
    /// texts.
    pub fn keys(&self) -> Box<dyn Iterator<Item = Key<'_>> + '_> {
        match (&self.compact, self.rendered.get()) {
            (Some(c), _) => Box::new(c.order.iter().enumerate().map(move |(i, v)| Key {
                severity: c.rules.rules[v.rule].severity,
                status: c.status(i),
                manager: c.data.manager_name(v.manager),
            })),
            (None, Some(all)) => Box::new(all.iter().map(|v| Key {
                severity: v.severity,
                status: v.status.as_ref(),
                manager: &v.manager,
            })),
            (None, None) => Box::new(std::iter::empty()),
        }
    }

    /// Gives each violation, in order, its status.
    pub fn set_statuses(&mut self, statuses: &[Option<ViolationStatus>]) {
        if let Some(c) = &mut self.compact {
            let mut all: Vec<Option<ViolationStatus>> = statuses.to_vec();
            all.resize(c.order.len(), None);
            c.statuses = Some(all.into());
        }
        if let Some(all) = self.rendered.get_mut() {
            for (v, status) in Arc::make_mut(all).iter_mut().zip(statuses) {
                v.status = status.clone();
            }
        }
    }

    /// Rewrites every violation's texts with `pass`: those made already
    /// now, the others as they are made.
    pub fn rewrite(&mut self, pass: TextPass) {
        if let Some(c) = &mut self.compact {
            c.passes.push(pass);
        }
        if let Some(all) = self.rendered.get_mut() {
            for v in Arc::make_mut(all) {
                texts::rewrite_violation(v, pass);
            }
        }
    }

    /// Every violation written out, to change by hand (tests).
    #[cfg(test)]
    pub fn to_mut(&mut self) -> &mut Vec<ViolationReport> {
        self.slice();
        self.compact = None;
        Arc::make_mut(self.rendered.get_mut().expect("made by `slice`"))
    }
}

impl From<Vec<ViolationReport>> for Violations<'_> {
    fn from(all: Vec<ViolationReport>) -> Self {
        Violations {
            compact: None,
            rendered: OnceCell::from(Arc::new(all)),
        }
    }
}

impl std::fmt::Debug for Violations<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Violations")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// A JSON array, each violation made, written and dropped in turn.
impl Serialize for Violations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for v in self.iter() {
            seq.serialize_element(&*v)?;
        }
        seq.end()
    }
}
