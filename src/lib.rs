//! articast turns written articles into podcast episodes.
//!
//! The library is a pipeline of stages, each a module with one job and a plain data type
//! between them (see `docs/design.md`):
//!
//! ```text
//! document::load ─▶ Document ─▶ script::build ─▶ Script ─▶ render::render ─▶ Vec<Clip>
//!                                                      ─▶ assemble::assemble ─▶ Episode ─▶ output::*
//! ```
//!
//! [`episode::render`] strings the stages after the script together: one plan in, one
//! serializable report out.
//!
//! The `articast` binary is a thin shell over these modules; everything it does can be
//! done from Rust.

pub mod assemble;
pub mod atomic;
pub mod batch;
pub mod cache;
pub mod cancel;
pub mod catalog;
pub mod clip;
pub mod config;
pub mod decode;
pub mod dirs;
pub mod document;
pub mod episode;
pub mod feed;
pub mod fetch;
pub mod language;
pub mod master;
pub mod meter;
pub mod output;
pub mod preview;
pub mod render;
pub mod script;
pub mod speakers;
pub mod synth;
pub mod voice;
