//! What the report holds while it is written, measured: a neglected
//! company's violations are kept compact until a format writes them
//! (`violations`), and the terminal's summary copies none.

/// A global allocator for this crate's unit tests that counts the bytes
/// each thread holds, and the most it held since a mark: what a step keeps
/// alive, measured on the thread that runs it (tests run side by side).
#[cfg(test)]
pub(crate) mod meter {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    struct Counting;

    thread_local! {
        static LIVE: Cell<isize> = const { Cell::new(0) };
        static PEAK: Cell<isize> = const { Cell::new(0) };
    }

    fn add(n: isize) {
        let _ = LIVE.try_with(|live| {
            let now = live.get() + n;
            live.set(now);
            let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
        });
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            add(layout.size() as isize);
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            add(-(layout.size() as isize));
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            add(new_size as isize - layout.size() as isize);
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    /// The most this thread held while `step` ran, beyond what it held
    /// before.
    pub fn peak_of<T>(step: impl FnOnce() -> T) -> (T, usize) {
        let start = LIVE.with(Cell::get);
        PEAK.with(|p| p.set(start));
        let out = step();
        let peak = PEAK.with(Cell::get);
        (out, (peak - start).max(0) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::meter::peak_of;
    use crate::audit::testing::TestData;
    use crate::report::table::TableOptions;
    use crate::report::{build, json, table};

    /// A neglected company: `n` deals at the invoice stage, none with a
    /// task, a contact's name or a phone, so each breaks several rules.
    pub(super) fn neglected(n: usize) -> TestData {
        let mut company = TestData::new().deals_file(&["phones", "contact-name"]);
        for i in 0..n {
            company = company.deal(&(1000 + i).to_string(), "Счет", "Иванова", |d| {
                d.contact = None;
                d.phone = None;
            });
        }
        company
    }

    /// A writer that counts the bytes and keeps none.
    struct Count(usize);

    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // Written out, a violation of this company takes about 930 bytes (its
    // texts and the struct: what a report held before it kept them
    // compact). Kept compact, it is a reference, its sort key while the
    // report is sorted, and its share of the per-deal workload and
    // fix-first list (each deal here has two violations): about 230. The
    // build's work is kept on this thread (`parallel::ON_CALLER`), where
    // the meter counts it.
    const PER_VIOLATION: usize = 400;
    const FIXED: usize = 1 << 20;

    #[test]
    fn the_json_report_holds_no_violation_written_out() {
        let company = neglected(4000);
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let n = outcome.violations.len();
        assert!(n >= 8000, "{n} violations");
        crate::parallel::ON_CALLER.with(|on| on.set(true));
        let (written, peak) = peak_of(|| {
            let report = build(&data, &company.rules, &outcome, as_of, &[]).unwrap();
            let mut out = Count(0);
            json::write(&report, &mut out).unwrap();
            out.0
        });
        crate::parallel::ON_CALLER.with(|on| on.set(false));
        // Every violation was written, and their texts were never held
        // together.
        assert!(written > n * 400, "{written} bytes written");
        assert!(
            peak < n * PER_VIOLATION + FIXED,
            "{peak} bytes held for {n} violations"
        );
    }

    #[test]
    fn the_summary_copies_no_violation() {
        let company = neglected(4000);
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let n = outcome.violations.len();
        let report = build(&data, &company.rules, &outcome, as_of, &[]).unwrap();
        let options = TableOptions {
            summary_only: true,
            ..TableOptions::default()
        };
        let mut out = Vec::new();
        let ((), peak) = peak_of(|| table::write(&report, options, &mut out).unwrap());
        assert!(out.len() > 100);
        assert!(
            peak < FIXED,
            "{peak} bytes for the summary of {n} violations"
        );
    }
}

#[cfg(test)]
mod fix_first {
    use super::meter::peak_of;
    use super::tests::neglected;
    use crate::report::workload::{fix_first, FIX_FIRST_LIMIT};

    #[test]
    fn only_the_deals_listed_get_their_texts() {
        let company = neglected(4000);
        let data = company.linked();
        let as_of = crate::audit::testing::at("27.11.2026 02:00");
        let outcome = crate::audit::run(&data, &company.rules, as_of);
        let (list, peak) = peak_of(|| fix_first(&data, &company.rules, &outcome, None));
        assert_eq!(list.len(), FIX_FIRST_LIMIT);
        // Each of the 4000 deals is ranked by its figures: its map entry
        // with its rules and a sort key, about 110 bytes. Made into texts
        // first (ID, name, manager, stage, rules), each took about 430.
        assert!(peak < 4000 * 200, "{peak} bytes to rank 4000 deals");
    }
}
