//! Who may open what. The UI hides what a role cannot use; the server enforces the same
//! table on every page request and API call (DESIGN §5, least privilege, SEED-SEC-04).

use crate::user::Role;
use serde::{Deserialize, Serialize};

/// A part of the UI with its own home page and navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    /// The agent console under `/agent`.
    Agent,
    /// Supervisor dashboards under `/supervisor`.
    Supervisor,
    /// Administration under `/admin`.
    Admin,
    /// The customer self-service portal under `/portal`.
    Portal,
}

impl Area {
    /// Every area.
    pub const ALL: [Area; 4] = [Area::Agent, Area::Supervisor, Area::Admin, Area::Portal];

    /// The URL prefix of the area.
    pub fn prefix(self) -> &'static str {
        match self {
            Area::Agent => "/agent",
            Area::Supervisor => "/supervisor",
            Area::Admin => "/admin",
            Area::Portal => "/portal",
        }
    }

    /// The area a page path belongs to, if it is a protected one.
    pub fn of_path(path: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| {
            let p = a.prefix();
            path == p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether a role may open this area. Supervisors also work in the agent console
    /// (they take over escalations); nobody else crosses areas.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Area::Agent => matches!(role, Role::Agent | Role::Supervisor),
            Area::Supervisor => role == Role::Supervisor,
            Area::Admin => role == Role::Admin,
            Area::Portal => role == Role::Customer,
        }
    }
}

/// The outcome of checking a page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageAccess {
    /// Render the page.
    Allowed,
    /// Anonymous visitor: send them to `/login`.
    SignIn,
    /// Signed in but the wrong role: a 403 page.
    Forbidden,
}

/// Decides whether `role` (None = anonymous) may open `path`. Paths outside the protected
/// areas (`/login`, `/`) are open to everyone.
pub fn page_access(role: Option<Role>, path: &str) -> PageAccess {
    match (Area::of_path(path), role) {
        (None, _) => PageAccess::Allowed,
        (Some(_), None) => PageAccess::SignIn,
        (Some(area), Some(role)) if area.allows(role) => PageAccess::Allowed,
        (Some(_), Some(_)) => PageAccess::Forbidden,
    }
}

/// Who a REST route or server function is for: the outer bound every request is checked
/// against before its handler runs (handlers may narrow it further, e.g. to the record's
/// own customer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    /// Everyone, signed in or not (sign-in, registration, the API document).
    Anyone,
    /// Any signed-in user.
    SignedIn,
    /// Customers (the portal).
    Customers,
    /// Staff: agents, supervisors, administrators.
    Staff,
    /// Who works tickets and calls: agents and supervisors.
    Desk,
    /// Supervisors and administrators.
    Supervisors,
    /// Administrators.
    Admins,
}

impl Audience {
    /// Whether `role` (None = anonymous) may call: anonymous callers of a non-public route
    /// are sent to sign in (401), signed-in callers of the wrong role are refused (403).
    pub fn admits(self, role: Option<Role>) -> PageAccess {
        let Some(role) = role else {
            return if self == Audience::Anyone {
                PageAccess::Allowed
            } else {
                PageAccess::SignIn
            };
        };
        let ok = match self {
            Audience::Anyone | Audience::SignedIn => true,
            Audience::Customers => role == Role::Customer,
            Audience::Staff => role.is_staff(),
            Audience::Desk => matches!(role, Role::Agent | Role::Supervisor),
            Audience::Supervisors => matches!(role, Role::Supervisor | Role::Admin),
            Audience::Admins => role == Role::Admin,
        };
        if ok {
            PageAccess::Allowed
        } else {
            PageAccess::Forbidden
        }
    }
}

/// Operations of the REST API and server functions that need more than being signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Read the department directory (staff only).
    ViewDepartments,
}

impl Permission {
    /// Whether a role holds this permission.
    pub fn granted_to(self, role: Role) -> bool {
        match self {
            Permission::ViewDepartments => role.is_staff(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PageAccess::*;

    #[test]
    fn audiences_admit_roles() {
        use Audience::*;
        let roles = [
            None,
            Some(Role::Customer),
            Some(Role::Agent),
            Some(Role::Supervisor),
            Some(Role::Admin),
        ];
        let table = [
            (Anyone, [Allowed, Allowed, Allowed, Allowed, Allowed]),
            (SignedIn, [SignIn, Allowed, Allowed, Allowed, Allowed]),
            (
                Customers,
                [SignIn, Allowed, Forbidden, Forbidden, Forbidden],
            ),
            (Staff, [SignIn, Forbidden, Allowed, Allowed, Allowed]),
            (Desk, [SignIn, Forbidden, Allowed, Allowed, Forbidden]),
            (
                Supervisors,
                [SignIn, Forbidden, Forbidden, Allowed, Allowed],
            ),
            (Admins, [SignIn, Forbidden, Forbidden, Forbidden, Allowed]),
        ];
        for (audience, want) in table {
            for (role, want) in roles.into_iter().zip(want) {
                assert_eq!(audience.admits(role), want, "{audience:?} {role:?}");
            }
        }
    }

    /// The full role × area table; a new role or area fails to compile here until decided.
    #[test]
    fn role_area_table() {
        let table: [(Option<Role>, [PageAccess; 4]); 5] = [
            //                       agent      supervisor admin      portal
            (None, [SignIn, SignIn, SignIn, SignIn]),
            (
                Some(Role::Customer),
                [Forbidden, Forbidden, Forbidden, Allowed],
            ),
            (
                Some(Role::Agent),
                [Allowed, Forbidden, Forbidden, Forbidden],
            ),
            (
                Some(Role::Supervisor),
                [Allowed, Allowed, Forbidden, Forbidden],
            ),
            (
                Some(Role::Admin),
                [Forbidden, Forbidden, Allowed, Forbidden],
            ),
        ];
        for (role, expected) in table {
            for (area, want) in Area::ALL.into_iter().zip(expected) {
                assert_eq!(
                    page_access(role, area.prefix()),
                    want,
                    "{role:?} on {area:?}"
                );
                let nested = format!("{}/tickets/1", area.prefix());
                assert_eq!(page_access(role, &nested), want, "{role:?} on {nested}");
            }
        }
    }

    #[test]
    fn every_role_may_open_its_own_home() {
        for role in Role::ALL {
            assert_eq!(page_access(Some(role), role.home_path()), Allowed);
        }
    }

    #[test]
    fn open_pages_and_lookalike_prefixes_are_not_protected() {
        assert_eq!(page_access(None, "/login"), Allowed);
        assert_eq!(page_access(None, "/"), Allowed);
        assert_eq!(page_access(None, "/agentx"), Allowed);
        assert_eq!(Area::of_path("/portal/bills"), Some(Area::Portal));
    }

    #[test]
    fn departments_are_visible_to_staff_only() {
        for role in Role::ALL {
            assert_eq!(
                Permission::ViewDepartments.granted_to(role),
                role.is_staff()
            );
        }
    }
}
