//! The logical fields of each kind of export and the header names that
//! carry them. The sets of fields are closed (enums); the header names come
//! from the rule set, so a company maps its own columns without code.
//!
//! Owns no file reading: `input::recognize` matches a header row against
//! these layouts.

use serde::Serialize;

/// What a file holds, as recognised from its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    Deals,
    /// Bitrix24's leads: read as deals are (the same fields), kept apart
    /// from them, and judged only by the rules that say `leads = true`.
    Leads,
    Tasks,
    Calls,
    Contacts,
    CallReviews,
}

impl EntityKind {
    pub const ALL: [EntityKind; 6] = [
        EntityKind::Deals,
        EntityKind::Leads,
        EntityKind::Tasks,
        EntityKind::Calls,
        EntityKind::Contacts,
        EntityKind::CallReviews,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Deals => "deals",
            EntityKind::Leads => "leads",
            EntityKind::Tasks => "tasks",
            EntityKind::Calls => "calls",
            EntityKind::Contacts => "contacts",
            EntityKind::CallReviews => "call-reviews",
        }
    }
}

/// How a field matters for its layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The file is taken for this kind only when the field's column is there.
    Identifying,
    /// A file of this kind without the column cannot be audited: an error.
    Required,
    /// Used where present; the rules that need it say "not checked" without it.
    Optional,
}

/// Declares a closed set of logical fields with their key in the rule
/// file, their role, and whether every matching column is read (phones)
/// or the first non-empty one.
macro_rules! fields {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $key:literal, $role:ident, $multi:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The field's key in the rule file's `[columns.*]` table.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            pub fn role(self) -> Role {
                match self { $($name::$variant => Role::$role,)+ }
            }

            /// Whether every column with a matching header is kept (phones),
            /// rather than the first non-empty one.
            pub fn multi(self) -> bool {
                match self { $($name::$variant => $multi,)+ }
            }

            pub fn index(self) -> usize {
                self as usize
            }
        }
    };
}

fields! {
    /// Fields of a deal export.
    DealField {
        Id = "id", Identifying, false;
        Name = "name", Identifying, false;
        Stage = "stage", Identifying, false;
        Manager = "manager", Required, false;
        Pipeline = "pipeline", Optional, false;
        Budget = "budget", Optional, false;
        ContactName = "contact-name", Optional, false;
        Phones = "phones", Optional, true;
        NearestTask = "nearest-task", Optional, false;
        RefusalReason = "refusal-reason", Optional, false;
        /// A product of the deal (Bitrix24's export with products: one row
        /// per product, each row's `budget` that row's price × quantity).
        Product = "product", Optional, false;
        ProductQuantity = "product-quantity", Optional, false;
        /// The deal's own total where an export has one beside its product
        /// rows: then it is the budget, and rows are not added up.
        DealTotal = "deal-total", Optional, false;
        /// When the deal last changed (`Дата изменения`).
        Modified = "modified", Optional, false;
    }
}

impl DealField {
    /// The field as a Russian report names it where no export was read
    /// (the export's own header is shown where one was).
    pub fn russian(self) -> &'static str {
        match self {
            DealField::Id => "ID",
            DealField::Name => "Название сделки",
            DealField::Stage => "Этап сделки",
            DealField::Manager => "Ответственный",
            DealField::Pipeline => "Воронка",
            DealField::Budget => "Бюджет",
            DealField::ContactName => "Контакт",
            DealField::Phones => "Телефон",
            DealField::NearestTask => "Ближайшая задача",
            DealField::RefusalReason => "Причина отказа",
            DealField::Product => "Товар",
            DealField::ProductQuantity => "Количество",
            DealField::DealTotal => "Сумма сделки",
            DealField::Modified => "Дата изменения",
        }
    }
}

fields! {
    /// Fields of a task list.
    TaskField {
        Id = "id", Optional, false;
        DealId = "deal-id", Optional, false;
        Manager = "manager", Required, false;
        Type = "type", Optional, false;
        Due = "due", Identifying, false;
        /// Yes/no; a task list without it has a `status` instead.
        Completed = "completed", Optional, false;
        /// A task tracker's state (Bitrix24: `Завершена` done, `Отклонена`
        /// declined, the rest open).
        Status = "status", Optional, false;
        /// A task tracker's link to CRM records (`Сделка: <title>;`).
        Crm = "crm", Optional, false;
        CompletedAt = "completed-at", Optional, false;
        Result = "result", Optional, false;
        CreatedAt = "created-at", Optional, false;
    }
}

impl TaskField {
    /// The field as a Russian report names it where no export was read.
    pub fn russian(self) -> &'static str {
        match self {
            TaskField::Id => "ID",
            TaskField::DealId => "ID сделки",
            TaskField::Manager => "Ответственный",
            TaskField::Type => "Тип задачи",
            TaskField::Due => "Срок",
            TaskField::Completed => "Выполнена",
            TaskField::Status => "Статус",
            TaskField::Crm => "CRM",
            TaskField::CompletedAt => "Дата выполнения",
            TaskField::Result => "Результат",
            TaskField::CreatedAt => "Дата создания",
        }
    }
}

fields! {
    /// Fields of a call log.
    CallField {
        Time = "time", Identifying, false;
        /// Whose call it is, where the log names one person per call; a
        /// telephony log instead names the caller (`from`) of an outgoing
        /// call and who answered (`answered-by`) an incoming one.
        Manager = "manager", Optional, false;
        Direction = "direction", Identifying, false;
        From = "from", Optional, false;
        AnsweredBy = "answered-by", Optional, false;
        Status = "status", Optional, false;
        Duration = "duration", Optional, false;
        Phone = "phone", Optional, false;
        DealId = "deal-id", Optional, false;
        /// The client's manager in the CRM with their extension (Sipuni's
        /// `Ответственный из CRM`, `210 Ирина Подшивалова`): not whose call
        /// it is, but whose extension 210 is.
        CrmResponsible = "crm-responsible", Optional, false;
        /// The log's own ID of the call (Mango's `Уникальный
        /// идентификатор`): names a call a finding is about.
        Id = "id", Optional, false;
    }
}

fields! {
    /// Fields of a call-review sheet: the head of sales' marks on reviewed
    /// first-contact calls, one column per stage of the call script
    /// (clauses 1.1, 1.2) and per conduct fault (1.3.4, 1.3.5).
    ReviewField {
        Id = "id", Optional, false;
        Time = "time", Optional, false;
        Manager = "manager", Required, false;
        CallType = "call-type", Identifying, false;
        Greeting = "greeting", Identifying, false;
        Rapport = "rapport", Optional, false;
        Qualification = "qualification", Optional, false;
        Presentation = "presentation", Optional, false;
        Offer = "offer", Optional, false;
        Objections = "objections", Optional, false;
        Closing = "closing", Optional, false;
        Rudeness = "rudeness", Optional, false;
        Obscene = "obscene", Optional, false;
        Arguing = "arguing", Optional, false;
    }
}

fields! {
    /// Fields of a contact export.
    ContactField {
        Id = "id", Optional, false;
        Kind = "kind", Identifying, false;
        Name = "name", Identifying, false;
        Phones = "phones", Optional, true;
    }
}

/// The header names (already normalised with `value::normalize_header`)
/// that carry each logical field of one kind, indexed by the field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Normalised, for matching.
    pub headers: Vec<Vec<String>>,
    /// As the rule file writes them, for messages.
    pub written: Vec<Vec<String>>,
}

impl Layout {
    pub fn headers_of(&self, field_index: usize) -> &[String] {
        self.headers.get(field_index).map_or(&[], Vec::as_slice)
    }

    /// The header names of a field as the rule file writes them.
    pub fn written_of(&self, field_index: usize) -> &[String] {
        self.written.get(field_index).map_or(&[], Vec::as_slice)
    }
}

/// One layout per kind of export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Columns {
    pub deals: Layout,
    pub leads: Layout,
    pub tasks: Layout,
    pub calls: Layout,
    pub contacts: Layout,
    pub call_reviews: Layout,
}

/// The description of one field that recognition and error messages use.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub key: &'static str,
    pub role: Role,
    pub multi: bool,
}

/// Every field of `kind`, in declaration order (its index is the field's).
pub fn field_specs(kind: EntityKind) -> Vec<FieldSpec> {
    fn specs<F: Copy>(all: &[F], f: impl Fn(F) -> FieldSpec) -> Vec<FieldSpec> {
        all.iter().map(|&x| f(x)).collect()
    }
    match kind {
        EntityKind::Deals | EntityKind::Leads => specs(DealField::ALL, |f| FieldSpec {
            key: f.key(),
            role: f.role(),
            multi: f.multi(),
        }),
        EntityKind::Tasks => specs(TaskField::ALL, |f| FieldSpec {
            key: f.key(),
            role: f.role(),
            multi: f.multi(),
        }),
        EntityKind::Calls => specs(CallField::ALL, |f| FieldSpec {
            key: f.key(),
            role: f.role(),
            multi: f.multi(),
        }),
        EntityKind::Contacts => specs(ContactField::ALL, |f| FieldSpec {
            key: f.key(),
            role: f.role(),
            multi: f.multi(),
        }),
        EntityKind::CallReviews => specs(ReviewField::ALL, |f| FieldSpec {
            key: f.key(),
            role: f.role(),
            multi: f.multi(),
        }),
    }
}

impl Columns {
    pub fn layout(&self, kind: EntityKind) -> &Layout {
        match kind {
            EntityKind::Deals => &self.deals,
            EntityKind::Leads => &self.leads,
            EntityKind::Tasks => &self.tasks,
            EntityKind::Calls => &self.calls,
            EntityKind::Contacts => &self.contacts,
            EntityKind::CallReviews => &self.call_reviews,
        }
    }

    pub fn layout_mut(&mut self, kind: EntityKind) -> &mut Layout {
        match kind {
            EntityKind::Deals => &mut self.deals,
            EntityKind::Leads => &mut self.leads,
            EntityKind::Tasks => &mut self.tasks,
            EntityKind::Calls => &mut self.calls,
            EntityKind::Contacts => &mut self.contacts,
            EntityKind::CallReviews => &mut self.call_reviews,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_identifying_fields_and_unique_keys() {
        for kind in EntityKind::ALL {
            let specs = field_specs(kind);
            assert!(
                specs.iter().any(|s| s.role == Role::Identifying),
                "{kind:?}"
            );
            let mut keys: Vec<_> = specs.iter().map(|s| s.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), specs.len(), "{kind:?} has a repeated key");
        }
    }

    #[test]
    fn field_index_matches_declaration_order() {
        for (i, f) in DealField::ALL.iter().enumerate() {
            assert_eq!(f.index(), i);
        }
        assert_eq!(
            field_specs(EntityKind::Deals)[DealField::Phones.index()].key,
            "phones"
        );
    }
}
