//! Deals and tasks seen through `Facts`, the questions a rule's condition
//! asks: a field of a file that lacks its column is unknown, not empty.

use crate::model::Dataset;
use crate::rules::columns::DealField;
use crate::rules::condition::Facts;
use crate::rules::fields::FieldCatalog;
use crate::rules::stages::StageClass;
use crate::rules::Record;

/// One deal or task of the dataset.
pub(crate) struct RecordFacts<'a> {
    pub data: &'a Dataset,
    pub catalog: &'a FieldCatalog,
    pub record: Record,
    pub index: usize,
}

impl RecordFacts<'_> {
    fn present(&self, field: usize) -> bool {
        let file = match self.record {
            Record::Deal => self.data.deals[self.index].file,
            Record::Task => self.data.tasks[self.index].file,
        };
        self.data.file(file).fields_present.contains(field)
    }
}

impl Facts for RecordFacts<'_> {
    fn stage(&self) -> Option<(crate::rules::PipelineId, Option<StageClass>, &str)> {
        match self.record {
            Record::Deal => {
                let stage = self.data.stage(&self.data.deals[self.index]);
                Some((stage.pipeline, stage.matched.class, &stage.key))
            }
            Record::Task => None,
        }
    }

    fn pipeline(&self) -> Option<&str> {
        match self.record {
            Record::Deal => {
                let deal = &self.data.deals[self.index];
                self.data
                    .file(deal.file)
                    .has(DealField::Pipeline.index())
                    .then(|| self.data.pipelines.name(deal.pipeline))
            }
            Record::Task => None,
        }
    }

    fn open(&self) -> Option<bool> {
        match self.record {
            Record::Task => Some(self.data.tasks[self.index].is_open()),
            Record::Deal => None,
        }
    }

    fn completed(&self) -> Option<bool> {
        match self.record {
            Record::Task => Some(self.data.tasks[self.index].completed),
            Record::Deal => None,
        }
    }

    fn filled(&self, field: usize) -> Option<bool> {
        let filled = match self.record {
            Record::Deal => self.data.deals[self.index].filled,
            Record::Task => self.data.tasks[self.index].filled,
        };
        self.present(field).then(|| filled.contains(field))
    }

    fn value(&self, slot: usize) -> Option<&str> {
        let field = self.catalog.field_of_slot(slot)?;
        if !self.present(field) {
            return None;
        }
        let stride = self.catalog.value_count();
        Some(match self.record {
            Record::Deal => self.data.deal_value(self.index, stride, slot),
            Record::Task => self.data.task_value(self.index, stride, slot),
        })
    }
}
