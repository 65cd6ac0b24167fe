//! Route-level components, one module per persona plus sign-in and error pages.

pub mod admin;
pub mod admin_console;
pub mod admin_sla;
pub mod agent;
pub mod area;
pub mod audit;
pub mod customers;
pub mod errors;
pub mod knowledge;
pub mod login;
pub mod password;
pub mod portal;
pub mod quality;
pub mod reports;
pub mod signup;
pub mod staffing;
pub mod supervisor;
pub mod tasks;
pub mod ticket;
pub mod tickets;
pub mod users;
