//! The morning digest (`crm-audit notify`): what the newest run in the
//! history found, told in Russian to the head of sales and the managers
//! by Telegram or e-mail, with the night's report files attached.
//!
//! One idea per file: the digest's data read from the history
//! ([`digest`]), its text ([`text`], with Russian plurals in [`crate::lang::plural`]),
//! the files sent with it ([`attachments`]), and each channel
//! ([`telegram`], [`email`]). Nothing here prints, and no secret reaches a
//! message: the bot token is masked in every address shown.

pub mod attachments;
pub mod digest;
pub mod email;
pub mod telegram;
pub mod text;
