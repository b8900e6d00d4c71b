//! `missing-phone`, clause 6: every deal in work carries a phone one could
//! call. A phone is "there" when some phone column (of the deal, or of its
//! contact where a contacts file is given) holds a digit. (The contact's
//! name is checked by the generic `required` check: rule
//! missing-contact-name.)

use super::shared::{record_files, records_in_work};
use super::{Kind, Placeholder, Run, Param, Shape};
use crate::audit::{Column, Entity, Reason, Sink};
use crate::model::Dataset;
use crate::rules::columns::{DealField, EntityKind};

/// A deal in work whose phone columns hold no digit.
#[derive(Debug, Clone)]
pub struct MissingPhone;

impl Kind for MissingPhone {
    const NAME: &'static str = "missing-phone";
    const PARAMS: &'static [Param] = &[Param::new("leads", Shape::Flag)];
    const PLACEHOLDERS: &'static [Placeholder] = &[];

    fn compile(_: &mut super::compile::Compile) -> crate::rules::compile::Result<Self> {
        Ok(MissingPhone)
    }

    fn run(&self, cx: &Run, sink: &mut Sink) {
        missing_phone(cx.data, cx.leads, sink);
    }
}

/// Whether a deal file's phones can be judged: it has phone columns, or a
/// contacts file can lend them through its contact-name column (a lead
/// file: it has phone columns). Records "not checked" for each file that
/// cannot; says whether any can.
pub(super) fn phones_checkable(data: &Dataset, leads: bool, sink: &mut Sink) -> bool {
    if !data.has_kind(EntityKind::Deals) {
        sink.not_checked(Reason::NoDealExport);
    }
    if record_files(data, leads).next().is_none() {
        return false;
    }
    let mut any = false;
    for file in record_files(data, leads) {
        if file_checkable(data, file) {
            any = true;
        } else {
            sink.not_checked(Reason::NoColumn {
                file: file.path.clone(),
                column: Column::Phone,
            });
        }
    }
    any
}

fn file_checkable(data: &Dataset, file: &crate::model::InputFile) -> bool {
    file.has(DealField::Phones.index())
        || (file.kind == EntityKind::Deals
            && data.has_kind(EntityKind::Contacts)
            && file.has(DealField::ContactName.index()))
}

fn missing_phone(data: &Dataset, leads: bool, sink: &mut Sink) {
    if !phones_checkable(data, leads, sink) {
        return;
    }
    for (i, deal) in records_in_work(data, leads) {
        if file_checkable(data, data.file(deal.file)) && deal.phones.missing() {
            sink.violation(deal.manager, Entity::Deal(i), Vec::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::audit::testing::*;

    #[test]
    fn a_deal_in_work_needs_a_digit_in_some_phone_column() {
        let t = TestData::new()
            .deals_file(&["phones", "contact-name"])
            .deal("1", "Счет", "Иванова", |d| d.phone = None)
            .deal("2", "Счет", "Иванова", |d| {
                d.phone = Some("нет телефона")
            })
            .deal("3", "Счет", "Иванова", |d| {
                d.phone = Some("'89275556677")
            })
            .deal("4", "Успешно реализовано", "Петров", |d| d.phone = None);
        assert_eq!(
            t.run("missing-phone", "26.11.2026 10:00"),
            vec!["deal:1 Иванова", "deal:2 Иванова"]
        );
    }

    #[test]
    fn a_phone_must_be_a_number_one_could_call() {
        let t = TestData::new()
            .deals_file(&["phones", "contact-name"])
            .deal("1", "Счет", "Иванова", |d| {
                d.phone = Some("555-66-77")
            })
            .deal("2", "Счет", "Иванова", |d| {
                d.phone = Some("555-66-77, 8 927 555 66 77")
            })
            .deal("3", "Счет", "Петров", |d| {
                d.phone = Some("19275556677")
            })
            .deal("4", "Счет", "Петров", |d| d.phone = None)
            .deal(
                "5",
                "Закрыто и не реализовано",
                "Петров",
                |d| d.phone = Some("123"),
            );
        assert_eq!(
            t.run("invalid-phone", "26.11.2026 10:00"),
            vec![
                "deal:1 Иванова phones=555-66-77",
                "deal:3 Петров phones=19275556677"
            ]
        );
    }

    #[test]
    fn a_deal_in_work_needs_a_contact_name() {
        let t = TestData::new()
            .deals_file(&["phones", "contact-name"])
            .deal("1", "Неразобранное", "", |d| d.contact = None)
            .deal("2", "Счет", "Иванова", |_| {})
            .deal(
                "3",
                "Закрыто и не реализовано",
                "Петров",
                |d| d.contact = None,
            );
        assert_eq!(
            t.run("missing-contact-name", "26.11.2026 10:00"),
            vec!["deal:1 (unassigned) missing_fields=contact-name stage=Неразобранное"]
        );
    }

    #[test]
    fn without_the_columns_nothing_is_blamed() {
        let t = TestData::new()
            .deals_file(&[])
            .deal("1", "Счет", "Иванова", |d| {
                d.phone = None;
                d.contact = None;
            });
        assert!(t.run("missing-phone", "26.11.2026 10:00").is_empty());
        assert!(t.run("missing-contact-name", "26.11.2026 10:00").is_empty());
        assert_eq!(
            t.not_checked("missing-phone", "26.11.2026 10:00"),
            vec!["deals.csv: no phone column"]
        );
        assert_eq!(
            t.not_checked("missing-contact-name", "26.11.2026 10:00"),
            vec!["deals.csv: no column for «contact-name»"]
        );
    }
}
