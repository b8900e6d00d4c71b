//! Clause 6: every deal in work carries its contact person's name and a
//! phone. A phone is "there" when some phone column (of the deal, or of its
//! contact where a contacts file is given) holds a digit.

use super::{deal_files_with, deals_in_work, Details, Entity, Sink};
use crate::model::Dataset;
use crate::rules::columns::{DealField, EntityKind};

pub(super) fn missing_phone(data: &Dataset, sink: &mut Sink) {
    let field = DealField::Phones.index();
    let contacts = data.has_kind(EntityKind::Contacts);
    if !contacts && !deal_files_with(data, field, "phone", sink) {
        return;
    }
    for (i, deal) in deals_in_work(data) {
        let checkable = contacts || data.file(deal.file).has(field);
        if checkable && !deal.has_phone {
            sink.violation(deal.manager, Entity::Deal(i), Details::None);
        }
    }
}

pub(super) fn missing_contact_name(data: &Dataset, sink: &mut Sink) {
    let field = DealField::ContactName.index();
    if !deal_files_with(data, field, "contact-name", sink) {
        return;
    }
    for (i, deal) in deals_in_work(data) {
        if data.file(deal.file).has(field) && deal.contact_name.is_empty() {
            sink.violation(deal.manager, Entity::Deal(i), Details::None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

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
            vec!["deal:1 (unassigned)"]
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
            vec!["deals.csv: no contact-name column"]
        );
    }
}
