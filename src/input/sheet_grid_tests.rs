use super::*;
use calamine::{ExcelDateTime, ExcelDateTimeType};
use std::hash::BuildHasher;
use std::path::Path;

impl GridBuilder {
    fn add_ok(&mut self, row: u32, column: u32, value: &DataRef<'_>) {
        self.add(row, column, value).expect("under the text limit");
    }
}

/// The cells of `row` as `cell` gives them, columns `first..=last`.
fn row_of(grid: &Grid, row: u32, first: u32, last: u32) -> Vec<String> {
    let cells = grid.row_from(row, grid.first_of(row));
    (first..=last)
        .map(|column| match grid.cell(cells, column) {
            Cell::Empty => "-".to_string(),
            Cell::Text(t) => format!("t:{t}"),
            Cell::Number(n) => format!("n:{n}"),
            Cell::DateTime(d) => format!("d:{d}"),
            Cell::Error(e) => format!("e:{e}"),
        })
        .collect()
}

#[test]
fn cells_out_of_order_are_sorted_and_the_later_of_two_at_one_place_kept() {
    let mut builder = GridBuilder::with_capacity(4);
    builder.add_ok(5, 2, &DataRef::Int(1));
    builder.add_ok(3, 4, &DataRef::Float(2.5));
    builder.add_ok(5, 1, &DataRef::String("first".into()));
    builder.add_ok(3, 4, &DataRef::String("later".into()));
    builder.add_ok(4, 3, &DataRef::Empty);
    let grid = builder.finish();
    // The empty cell at (4, 3) neither counts nor widens the bounds.
    assert_eq!(grid.bounds(), Some(((3, 1), (5, 4))));
    assert_eq!(row_of(&grid, 3, 1, 4), ["-", "-", "-", "t:later"]);
    assert_eq!(row_of(&grid, 4, 1, 4), ["-", "-", "-", "-"]);
    assert_eq!(row_of(&grid, 5, 1, 4), ["t:first", "n:1", "-", "-"]);
}

#[test]
fn a_cell_is_found_in_a_row_with_gaps_before_after_and_between() {
    let mut builder = GridBuilder::with_capacity(0);
    for (column, n) in [(2, 1), (3, 2), (5, 3), (6, 4), (9, 5)] {
        builder.add_ok(0, column, &DataRef::Int(n));
    }
    let grid = builder.finish();
    assert_eq!(
        row_of(&grid, 0, 0, 11),
        ["-", "-", "n:1", "n:2", "-", "n:3", "n:4", "-", "-", "n:5", "-", "-"]
    );
}

#[test]
fn a_row_is_found_from_where_the_row_before_ended() {
    let mut builder = GridBuilder::with_capacity(0);
    for row in [0, 0, 2, 2, 2, 7] {
        let column = builder.grid.cells.iter().filter(|c| c.row == row).count() as u32;
        builder.add_ok(row, column, &DataRef::Int(i64::from(row)));
    }
    let grid = builder.finish();
    // Read in order, each row from where the one before ended.
    assert_eq!(grid.row_from(0, 0), (0, 2));
    assert_eq!(grid.row_from(1, 2), (2, 2));
    assert_eq!(grid.row_from(2, 2), (2, 5));
    assert_eq!(grid.row_from(3, 5), (5, 5));
    assert_eq!(grid.row_from(7, 5), (5, 6));
    assert_eq!(grid.row_from(8, 6), (6, 6));
    // A piece of the sheet starts at its first row's cells, or at the
    // next cells after it when it has none; from a row before, the
    // search walks on to them.
    assert_eq!(
        (grid.first_of(2), grid.first_of(3), grid.first_of(9)),
        (2, 5, 6)
    );
    assert_eq!(grid.row_from(7, 0), (5, 6));
}

#[test]
fn a_shared_string_is_kept_once_however_many_cells_show_it() {
    let shared = ["Иванов Иван".to_string(), "  ".to_string()];
    let mut builder = GridBuilder::with_capacity(0);
    for row in 0..3 {
        builder.add_ok(row, 0, &DataRef::SharedString(&shared[0]));
        builder.add_ok(row, 1, &DataRef::SharedString(&shared[1]));
    }
    // The same text written into a cell of its own is a copy of its own.
    builder.add_ok(3, 0, &DataRef::String("Иванов Иван".into()));
    let grid = builder.finish();
    assert_eq!(grid.text.len(), 2 * "Иванов Иван".len());
    for row in 0..4 {
        assert_eq!(row_of(&grid, row, 0, 1), ["t:Иванов Иван", "-"]);
    }
    // White space alone is no value, but its column is the sheet's.
    assert_eq!(grid.bounds(), Some(((0, 0), (3, 1))));
}

#[test]
fn values_read_as_a_csv_cell_of_the_same_meaning_would() {
    let date = |serial: f64| {
        DataRef::DateTime(ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    };
    let mut builder = GridBuilder::with_capacity(0);
    builder.add_ok(0, 0, &date(46_353.5));
    builder.add_ok(0, 1, &date(0.5));
    builder.add_ok(0, 2, &DataRef::Bool(true));
    builder.add_ok(0, 3, &DataRef::Bool(false));
    builder.add_ok(0, 4, &DataRef::Error(CellErrorType::NA));
    builder.add_ok(0, 5, &DataRef::DateTimeIso("2026-11-27T10:00:00".into()));
    builder.add_ok(0, 6, &DataRef::Int(-3));
    let grid = builder.finish();
    assert_eq!(
        row_of(&grid, 0, 0, 6),
        [
            "d:2026-11-27 12:00:00",
            // Below serial 1 a date is none: the number, for the date
            // readers to reject.
            "n:0.5",
            "t:true",
            "t:false",
            "e:#N/A",
            "t:2026-11-27T10:00:00",
            "n:-3",
        ]
    );
}

#[test]
fn a_range_keeps_its_own_bounds_empty_edges_included() {
    let mut range: Range<Data> = Range::new((2, 1), (4, 3));
    range.set_value((3, 2), Data::String("Петров".into()));
    range.set_value((2, 1), Data::Float(7.0));
    let grid = Grid::of_range(&range).expect("under the text limit");
    assert_eq!(grid.bounds(), Some(((2, 1), (4, 3))));
    assert_eq!(row_of(&grid, 2, 1, 3), ["n:7", "-", "-"]);
    assert_eq!(row_of(&grid, 3, 1, 3), ["-", "t:Петров", "-"]);
    assert_eq!(row_of(&grid, 4, 1, 3), ["-", "-", "-"]);
    assert_eq!(
        Grid::of_range(&Range::<Data>::empty()).unwrap().bounds(),
        None
    );
}

#[test]
fn a_text_shared_by_cell_after_cell_is_kept_once_and_the_text_is_bounded() {
    // 1000 bytes: a Cyrillic letter is two.
    let long = "к".repeat(500);
    let mut builder = GridBuilder::with_text_limit(1_500);
    // A thousand cells of one shared string: a thousand times its length
    // if each were kept, but it is kept once.
    for row in 0..1_000 {
        builder.add_ok(row, 0, &DataRef::SharedString(&long));
    }
    // A second copy of the same text, not shared, passes the limit.
    let too_much = builder.add(1_000, 0, &DataRef::String(long.clone()));
    assert_eq!(too_much, Err(TooMuchText { limit: 1_500 }));
    let e = too_much
        .unwrap_err()
        .in_sheet("Сделки", Path::new("deals.xlsx"));
    assert_eq!(
        e.to_string(),
        "deals.xlsx: the cells of sheet \"Сделки\" hold more than 1500 bytes of text; not read"
    );
    let e = TooMuchText {
        limit: MAX_SHEET_TEXT_BYTES,
    };
    assert!(e
        .in_sheet("Sheet1", Path::new("d.xlsx"))
        .to_string()
        .contains("more than 1024 MiB of text"));
    let grid = builder.finish();
    assert_eq!(grid.text.len(), long.len());
    assert_eq!(row_of(&grid, 999, 0, 0), [format!("t:{long}")]);
}

#[test]
fn a_cell_in_the_last_row_a_sheet_can_number_is_read() {
    let mut builder = GridBuilder::with_capacity(0);
    builder.add_ok(u32::MAX - 1, 0, &DataRef::Int(1));
    builder.add_ok(u32::MAX, 0, &DataRef::Int(2));
    let grid = builder.finish();
    assert_eq!(row_of(&grid, u32::MAX, 0, 0), ["n:2"]);
    assert_eq!(grid.row_from(u32::MAX, 1), (1, 2));
}

#[test]
fn of_many_cells_out_of_order_at_few_places_the_last_given_at_each_is_kept() {
    // Three rounds over 40 places, each round in another order: a sort
    // that did not keep the order given would keep an earlier round's
    // value somewhere.
    let mut builder = GridBuilder::with_capacity(0);
    for round in 0..3u32 {
        for i in 0..40u32 {
            let place = (i * 7 + round * 13) % 40;
            builder.add_ok(place / 8, place % 8, &DataRef::Int(i64::from(round)));
        }
    }
    let grid = builder.finish();
    assert_eq!(grid.cells.len(), 40);
    for row in 0..5 {
        assert_eq!(row_of(&grid, row, 0, 7), vec!["n:2"; 8], "row {row}");
    }
}

#[test]
fn two_shared_strings_in_one_slot_each_push_the_other_out() {
    let first = "Этап 0".to_string();
    let slot = |s: &str| (FxBuildHasher.hash_one(s) as usize) % RECENT;
    let second = (1..)
        .map(|i| format!("Этап {i}"))
        .find(|s| slot(s) == slot(&first))
        .unwrap();
    let mut builder = GridBuilder::with_capacity(0);
    for (row, text) in [&first, &first, &second, &first].into_iter().enumerate() {
        builder.add_ok(row as u32, 0, &DataRef::SharedString(text));
    }
    let grid = builder.finish();
    // The first kept once for its first two cells, again after the second.
    assert_eq!(grid.text.len(), 2 * first.len() + second.len());
    let texts: Vec<Vec<String>> = (0..4).map(|row| row_of(&grid, row, 0, 0)).collect();
    assert_eq!(
        texts,
        [&first, &first, &second, &first].map(|t| vec![format!("t:{t}")])
    );
}
