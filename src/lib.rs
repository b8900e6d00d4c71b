//! crm-audit: audits CRM exports against a sales regulation.
pub mod audit;
pub mod input;
pub mod model;
pub mod rules;
pub mod value;
