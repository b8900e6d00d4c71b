//! Bitrix24's task status `Ждет контроля`: the responsible has finished the
//! task, and it waits for its setter to accept it. Before, the task stayed
//! open, and its responsible was blamed for it being overdue while it was
//! the setter who had not checked it.

use crate::support::*;

#[test]
fn a_task_awaiting_control_is_done_for_its_responsible() {
    let dir = folder_with(&[
        (
            "deals.csv",
            "ID,Название сделки,Основной контакт,Ответственный,Этап сделки,Бюджет,Рабочий телефон (контакт)\n\
             1,Д1,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n\
             2,Д2,Орлов Игорь,Иванова Мария,Новая заявка,1000,+7 927 123-45-67\n"
                .as_bytes(),
        ),
        (
            // Both tasks were due 25.11.2026 18:00, before the audit moment
            // (27.11.2026 02:00). T1 waits for control: done, so not
            // overdue; T2 waits to be done: open and overdue.
            "tasks.csv",
            "ID;ID сделки;Ответственный;Название;Крайний срок;Статус;Дата закрытия;Дата создания\n\
             T1;1;Иванова Мария;Позвонить;25.11.2026 18:00;Ждет контроля;;20.11.2026 10:00\n\
             T2;2;Иванова Мария;Позвонить;25.11.2026 18:00;Ждет выполнения;;20.11.2026 10:00\n"
                .as_bytes(),
        ),
    ]);
    let report = json_in(
        dir.path(),
        &[
            "deals.csv",
            "tasks.csv",
            "--as-of",
            AS_OF,
            "--select",
            "overdue-task,deal-without-task",
        ],
    );
    assert_eq!(ids(&report, "overdue-task"), ["T2"]);
    // With T1 finished, deal 1 in work has no next task planned: that is
    // its manager's own omission (clause 3), whatever the setter does.
    assert_eq!(ids(&report, "deal-without-task"), ["1"]);
}
