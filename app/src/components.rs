//! Reusable view pieces: the page frame with header and navigation, the language switch,
//! status cards and empty states.

pub mod auth_frame;
pub mod clock;
pub mod console;
pub mod flow_diagram;
pub mod frame;
pub mod icon;
pub mod lang_switch;
pub mod panel;
pub mod screen_pop;
pub mod upload;
