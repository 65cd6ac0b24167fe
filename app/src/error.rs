//! `AppError`: the one error type of the server-function boundary. Variants are what a user
//! may see; causes are logged where they are converted, never sent to the browser.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use loopdesk::locale::Locale;
use serde::{Deserialize, Serialize};

use crate::i18n::t;

/// Errors returned by server functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in without the needed permission.
    #[error("forbidden")]
    Forbidden,
    /// The thing does not exist.
    #[error("not found")]
    NotFound,
    /// The input or action was refused; the message (in the user's language) says why
    /// and names the field.
    #[error("refused: {0}")]
    Refused(String),
    /// Someone else changed the record; the message says so in the user's language.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Something failed on the server; details are in the log only.
    #[error("internal error")]
    Internal,
    /// The server-function transport failed (network, encoding).
    #[error("server function error: {0}")]
    ServerFn(String),
    /// The request could not be read (missing or malformed arguments): the caller's fault.
    #[error("bad request: {0}")]
    BadRequest(String),
}

impl AppError {
    /// The message to show, in the user's language.
    pub fn message(&self, locale: Locale) -> String {
        let tx = t(locale);
        match self {
            AppError::Unauthenticated => tx.err_unauthenticated.to_owned(),
            AppError::Forbidden => tx.err_forbidden.to_owned(),
            AppError::NotFound => tx.err_not_found.to_owned(),
            AppError::Refused(m) | AppError::Conflict(m) => m.clone(),
            AppError::Internal | AppError::ServerFn(_) => tx.err_internal.to_owned(),
            AppError::BadRequest(_) => tx.err_bad_request.to_owned(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            other => AppError::ServerFn(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<loopdesk::store::StoreError> for AppError {
    fn from(e: loopdesk::store::StoreError) -> Self {
        match e {
            loopdesk::store::StoreError::NotFound => AppError::NotFound,
            other => {
                tracing::error!(error = ?other, "store failure in a server function");
                AppError::Internal
            }
        }
    }
}
