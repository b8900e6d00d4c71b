//! How far a pull has got, told page by page to whoever asked: the
//! command layer draws it as a line on a terminal's stderr. Nothing here
//! prints; a pull without an observer runs the same.

/// Told after every page of a list: the list (`leads`,
/// `crm.deal.list`, …), the page's number and the records read so far.
pub type OnPage<'a> = Option<&'a mut dyn FnMut(&str, u64, u64)>;

/// Tells `on_page`, if there is one.
pub fn tell(on_page: &mut OnPage, entity: &str, page: u64, rows: u64) {
    if let Some(on_page) = on_page {
        on_page(entity, page, rows);
    }
}
