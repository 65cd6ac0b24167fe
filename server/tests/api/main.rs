//! HTTP and store tests: the real app on port 0 with a real SQLite file per test.

#![recursion_limit = "256"]

mod accounts;
mod audit;
mod auth;
mod calls;
mod console;
mod instances;
mod knowledge;
mod matrix;
mod migrations;
mod pages;
mod pg;
mod portal;
mod process;
mod protocol;
mod security;
mod store_conformance;
mod supervision;
mod test_app;
mod tickets;
