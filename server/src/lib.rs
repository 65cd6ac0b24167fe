//! # server — the Loopdesk process
//!
//! Configuration, telemetry, backend selection and migrations at start-up, the HTTP surface
//! (pages through Leptos, the REST API under `/api/v1`, sign-in forms, health checks),
//! sessions, demo data and graceful shutdown. Handlers only see the storage ports of
//! `loopdesk::store`; the concrete backends live in [`store`].
//! Every API request first passes the access gate ([`gate`]): the permission matrix.

#![recursion_limit = "256"]

pub mod api;
pub mod billing_http;
pub mod config;
pub mod fanout;
pub mod gate;
pub mod migrate_data;
pub mod seed;
pub mod simulate;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod web;
