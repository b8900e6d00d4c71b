//! `pull`: fetches tonight's data through a CRM's or telephony provider's
//! API into a snapshot folder that `audit` reads as it reads exports.
//!
//! The pieces every source shares live here, one idea per file: the
//! address a pull may talk to ([`endpoint`]), its secret ([`secret`]), a
//! blocking HTTP client with timeouts, retries and a rate limit ([`http`],
//! [`retry`], [`limiter`]), and the atomic snapshot folder with its
//! manifest ([`snapshot`], [`manifest`]), a CSV file ([`table`]). Each source
//! ([`sipuni`], [`amocrm`] over [`amocrm_api`], [`bitrix24`] over
//! [`bitrix24_api`])
//! only builds its requests and checks its answers. Nothing here prints;
//! no secret reaches an error, a manifest or a file name.

pub mod amocrm;
pub mod amocrm_api;
pub mod bitrix24;
pub mod bitrix24_api;
pub mod crm;
pub mod endpoint;
pub mod http;
pub mod jwt;
pub mod limiter;
pub mod manifest;
pub mod progress;
pub mod retry;
pub mod secret;
pub mod sipuni;
pub mod snapshot;
pub mod table;
