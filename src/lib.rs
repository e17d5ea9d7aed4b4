//! cargo fc: build, verify, pack, check, deploy and run Rust functions for Alibaba Cloud Function
//! Compute.
//!
//! The crate is a library first; `main.rs` only parses arguments and reports errors. Data flows
//! one way: project → build → verify → pack, then check, deploy or run locally; ARCHITECTURE.md
//! maps the modules to those stages.

pub mod build;
pub mod calendar;
pub mod check;
pub mod cli;
pub mod commands;
pub mod container;
pub mod deploy;
pub mod deployment;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod events;
pub mod interrupt;
pub mod local;
pub mod new;
pub mod pack;
pub mod pipeline;
pub mod platform;
pub mod project;
pub mod runtime_source;
pub mod ui;
pub mod verify;
