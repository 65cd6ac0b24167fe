//! Strings of the password page and the administrators' user page, in both languages. A
//! string missing in one language fails to compile.

use loopdesk::locale::Locale;

use crate::views::accounts::{AccountAction, AccountStatus};

/// Strings of the account pages.
#[allow(missing_docs)]
pub struct AccountTexts {
    pub password_title: &'static str,
    pub password_intro: &'static str,
    pub current_password: &'static str,
    pub new_password: &'static str,
    pub confirm_password: &'static str,
    pub staff_rule: &'static str,
    pub save_and_sign_in: &'static str,
    pub save: &'static str,
    pub back_to_sign_in: &'static str,
    pub change_password_link: &'static str,
    pub users_title: &'static str,
    pub users_hint: &'static str,
    pub username: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub department: &'static str,
    pub status: &'static str,
    pub last_login: &'static str,
    pub never: &'static str,
    pub password_set: &'static str,
    pub password_expires: &'static str,
    pub actions: &'static str,
    pub you: &'static str,
    pub temporary_for: &'static str,
    pub temporary_hint: &'static str,
    pub done: &'static str,
}

const ZH: AccountTexts = AccountTexts {
    password_title: "设置新密码",
    password_intro: "保存后，您在其他设备上的登录将全部退出。",
    current_password: "当前密码",
    new_password: "新密码",
    confirm_password: "再次输入新密码",
    staff_rule: "员工密码至少 10 位，包含大写字母、小写字母、数字和符号中的至少三种，不能包含用户名，不能与最近 5 次的密码相同；有效期 3 个月，修改后 5 天内不能再次修改。",
    save_and_sign_in: "保存并登录",
    save: "保存新密码",
    back_to_sign_in: "返回登录",
    change_password_link: "修改密码",
    users_title: "员工账号",
    users_hint: "连续 30 天未使用的员工账号每天自动停用；重置密码会生成一次性显示的临时密码，员工下次登录时须设置新密码。",
    username: "用户名",
    name: "姓名",
    role: "角色",
    department: "部门",
    status: "状态",
    last_login: "最近登录",
    never: "从未登录",
    password_set: "密码设置于",
    password_expires: "密码到期",
    actions: "操作",
    you: "（本人）",
    temporary_for: "{name} 的临时密码：",
    temporary_hint: "仅显示这一次。请当面或电话告知本人；下次登录时须设置新密码。",
    done: "已完成：{action} {name}",
};

const EN: AccountTexts = AccountTexts {
    password_title: "Choose a new password",
    password_intro: "Saving signs you out on every other device.",
    current_password: "Current password",
    new_password: "New password",
    confirm_password: "New password again",
    staff_rule: "Staff passwords have at least 10 characters of three kinds (upper-case, lower-case, digits, symbols), do not contain the username and differ from the last 5; they last 3 months and cannot be changed again within 5 days.",
    save_and_sign_in: "Save and sign in",
    save: "Save new password",
    back_to_sign_in: "Back to sign in",
    change_password_link: "Change password",
    users_title: "Staff accounts",
    users_hint: "Staff accounts unused for 30 days are disabled by a daily check. Resetting a password creates a temporary one, shown once; the owner chooses a new one at the next sign-in.",
    username: "Username",
    name: "Name",
    role: "Role",
    department: "Department",
    status: "Status",
    last_login: "Last sign-in",
    never: "Never",
    password_set: "Password set",
    password_expires: "Password expires",
    actions: "Actions",
    you: " (you)",
    temporary_for: "Temporary password for {name}:",
    temporary_hint: "Shown only this once. Tell the owner in person or by phone; they choose a new one at the next sign-in.",
    done: "Done: {action} {name}",
};

/// The account strings in a language.
pub fn at(locale: Locale) -> &'static AccountTexts {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// An account status in a language.
pub fn status_name(status: AccountStatus, locale: Locale) -> &'static str {
    let zh = locale == Locale::ZhCn;
    match (status, zh) {
        (AccountStatus::Active, true) => "正常",
        (AccountStatus::Active, false) => "Active",
        (AccountStatus::MustChangePassword, true) => "须设置新密码",
        (AccountStatus::MustChangePassword, false) => "Must choose a new password",
        (AccountStatus::DisabledInactive, true) => "已停用（30 天未使用）",
        (AccountStatus::DisabledInactive, false) => "Disabled (unused 30 days)",
        (AccountStatus::DisabledAdmin, true) => "已停用（管理员）",
        (AccountStatus::DisabledAdmin, false) => "Disabled (by an administrator)",
    }
}

/// An administrator's action in a language.
pub fn action_name(action: AccountAction, locale: Locale) -> &'static str {
    let zh = locale == Locale::ZhCn;
    match (action, zh) {
        (AccountAction::Disable, true) => "停用",
        (AccountAction::Disable, false) => "Disable",
        (AccountAction::Enable, true) => "启用",
        (AccountAction::Enable, false) => "Enable",
        (AccountAction::SignOut, true) => "强制下线",
        (AccountAction::SignOut, false) => "Sign out all",
        (AccountAction::ResetPassword, true) => "重置密码",
        (AccountAction::ResetPassword, false) => "Reset password",
    }
}
