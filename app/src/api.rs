//! Server functions the pages call, and the plain values they exchange. Each function is a
//! thin shell: authenticate, authorise with `loopdesk::access`, call the store, map errors.

use leptos::prelude::*;
use loopdesk::locale::Locale;
use loopdesk::user::Role;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub mod accounts;
pub mod console;
pub mod desk;
pub mod knowledge;
pub mod portal;
pub mod supervision;

/// The signed-in user as the pages see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    /// Name to show.
    pub display_name: String,
    /// Username, or the masked phone for customers.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Department name in the current language (staff only).
    pub department: Option<String>,
}

/// Who is looking and in which language — what every page needs first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The signed-in user, if any.
    pub user: Option<SessionUser>,
    /// The language of this request.
    pub locale: Locale,
}

/// One department row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRow {
    /// Stable code.
    pub code: String,
    /// Name in the current language.
    pub name: String,
    /// Name in the other language.
    pub other_name: String,
}

/// The current session and language.
#[server(endpoint = "session")]
pub async fn get_session() -> Result<SessionInfo, AppError> {
    let (state, auth, headers) = crate::state::request_context().await?;
    crate::auth::session_info(&state, &auth, &headers).await
}

/// The department directory (staff only).
#[server(endpoint = "departments")]
pub async fn list_departments() -> Result<Vec<DepartmentRow>, AppError> {
    use loopdesk::access::Permission;
    let (state, auth, headers) = crate::state::request_context().await?;
    let user = crate::auth::require_user(&state, &auth).await?;
    if !Permission::ViewDepartments.granted_to(user.role) {
        return Err(AppError::Forbidden);
    }
    let locale = crate::auth::resolve_locale(Some(&user), &headers);
    let other = match locale {
        Locale::ZhCn => Locale::En,
        Locale::En => Locale::ZhCn,
    };
    let depts = state.stores.departments.list_departments().await?;
    Ok(depts
        .into_iter()
        .map(|d| DepartmentRow {
            name: d.name(locale).to_owned(),
            other_name: d.name(other).to_owned(),
            code: d.code,
        })
        .collect())
}
