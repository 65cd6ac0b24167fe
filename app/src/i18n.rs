//! Every UI string in both languages, from one place.
//!
//! A catalogue is a plain struct of `&'static str`; [`ZH`] and [`EN`] are its two instances.
//! Because both are struct literals, a string added to [`Texts`] but missing in one
//! language fails to compile — the check a translation-file crate would do at run time.
//! The same catalogue serves the pages (SSR and wasm) and the server's API error messages.
//! Placeholders are written `{name}` and filled with [`fill`].

pub mod accounts;
pub mod console;
pub mod desk;
pub mod knowledge;
pub mod names;
pub mod portal;
pub mod supervision;

use loopdesk::access::Area;
use loopdesk::locale::Locale;
use loopdesk::user::Role;

/// All strings of the UI in one language.
pub struct Texts {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub language: &'static str,
    // Sign-in
    pub login_title: &'static str,
    pub login_subtitle: &'static str,
    pub login_name_label: &'static str,
    pub login_name_placeholder: &'static str,
    pub password_label: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub login_hint: &'static str,
    pub login_features: [&'static str; 3],
    // Errors
    pub err_invalid_credentials: &'static str,
    pub err_locked: &'static str,
    pub err_empty_fields: &'static str,
    pub err_disabled: &'static str,
    /// The request could not be read.
    pub err_bad_request: &'static str,
    /// The password expired: choose a new one before signing in.
    pub err_password_expired: &'static str,
    /// An administrator set the password: choose your own before signing in.
    pub err_password_reset: &'static str,
    pub err_internal: &'static str,
    pub err_unauthenticated: &'static str,
    pub err_forbidden: &'static str,
    pub err_cross_site: &'static str,
    pub err_timeout: &'static str,
    pub err_not_found: &'static str,
    pub err_bad_origin: &'static str,
    pub err_malformed_json: &'static str,
    pub err_invalid_body: &'static str,
    pub err_unsupported_media: &'static str,
    pub err_too_large: &'static str,
    pub err_login_name_too_long: &'static str,
    // Error pages
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub go_home: &'static str,
    pub loading: &'static str,
    // Shell
    pub signed_in_as: &'static str,
    pub department: &'static str,
    pub section_pending_title: &'static str,
    pub section_pending_body: &'static str,
    pub no_data_yet: &'static str,
    // Agent console
    pub agent_console: &'static str,
    pub nav_console: &'static str,
    pub nav_tickets: &'static str,
    pub nav_customers: &'static str,
    pub nav_knowledge: &'static str,
    pub nav_callbacks: &'static str,
    pub nav_outbound: &'static str,
    pub nav_my_quality: &'static str,
    pub nav_billing_import: &'static str,
    pub nav_phrases: &'static str,
    pub agent_state: &'static str,
    pub agent_state_offline: &'static str,
    pub agent_state_hint: &'static str,
    pub current_call: &'static str,
    pub no_call: &'static str,
    pub no_call_hint: &'static str,
    pub my_queue: &'static str,
    pub queue_due_soon: &'static str,
    pub queue_open: &'static str,
    pub queue_to_revisit: &'static str,
    pub phrases: &'static str,
    pub phrase_greeting: &'static str,
    pub phrase_closing: &'static str,
    // Supervisor
    pub supervisor_dashboard: &'static str,
    pub nav_wallboard: &'static str,
    pub nav_reports: &'static str,
    pub nav_quality: &'static str,
    pub nav_staffing: &'static str,
    pub kpi_sla_at_risk: &'static str,
    pub kpi_sla_breached: &'static str,
    pub kpi_backlog: &'static str,
    pub kpi_service_level: &'static str,
    pub agents_now: &'static str,
    pub escalations: &'static str,
    // Admin
    pub admin_home: &'static str,
    pub nav_overview: &'static str,
    pub nav_users: &'static str,
    pub nav_departments: &'static str,
    pub nav_categories: &'static str,
    pub nav_sla: &'static str,
    pub nav_calendars: &'static str,
    pub nav_tokens: &'static str,
    pub nav_audit: &'static str,
    pub departments: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    // Portal
    pub portal_home: &'static str,
    pub nav_portal_home: &'static str,
    pub nav_notices: &'static str,
    pub nav_account: &'static str,
    pub nav_requests: &'static str,
    pub nav_bills: &'static str,
    pub nav_help: &'static str,
    pub portal_greeting: &'static str,
    pub portal_intro: &'static str,
    pub my_requests: &'static str,
    pub no_requests: &'static str,
    pub recent_bills: &'static str,
    pub no_bills: &'static str,
    pub self_help: &'static str,
    pub self_help_hint: &'static str,
    // Roles
    pub role_customer: &'static str,
    pub role_agent: &'static str,
    pub role_supervisor: &'static str,
    pub role_admin: &'static str,
}

/// Simplified Chinese.
pub static ZH: Texts = Texts {
    app_name: "Loopdesk 客服中心",
    tagline: "受理 · 派单 · 答复 · 回访 · 归档,每一步都有时限",
    language: "语言",
    login_title: "登录",
    login_subtitle: "员工请使用用户名登录,客户请使用手机号登录。",
    login_name_label: "用户名或手机号",
    login_name_placeholder: "例如 agent 或 13800000001",
    password_label: "密码",
    show_password: "显示密码",
    hide_password: "隐藏密码",
    sign_in: "登录",
    sign_out: "退出登录",
    login_hint: "连续 5 次密码错误,账号将被锁定 15 分钟。",
    login_features: [
        "来电弹屏,客户信息一目了然",
        "工单闭环,时限由系统把关",
        "自助服务,账单与进度随时可查",
    ],
    err_invalid_credentials: "用户名(手机号)或密码错误。",
    err_locked: "登录失败次数过多,账号已被锁定,请在 {minutes} 分钟后重试。",
    err_empty_fields: "请输入用户名(手机号)和密码。",
    err_disabled: "该账号已停用,请联系管理员。",
    err_bad_request: "请求格式不正确,请刷新页面后重试。",
    err_password_expired: "密码已超过 3 个月有效期,请先设置新密码。",
    err_password_reset: "密码由管理员重置,请先设置您自己的新密码。",
    err_internal: "系统暂时无法处理您的请求,请稍后重试。",
    err_unauthenticated: "请先登录。",
    err_forbidden: "您没有权限执行此操作。",
    err_cross_site: "请求来自其他网站，已被拒绝。请在 Loopdesk 页面中操作。",
    err_timeout: "服务器未能及时处理该请求，未做任何更改，请稍后重试。",
    err_not_found: "请求的资源不存在。",
    err_bad_origin: "请求来源无效,请刷新页面后重试。",
    err_malformed_json: "请求体不是有效的 JSON:{detail}",
    err_invalid_body: "请求内容不符合要求:{detail}",
    err_unsupported_media: "请求须使用 Content-Type: application/json。",
    err_too_large: "请求体过大(上限 1 MB)。",
    err_login_name_too_long: "用户名(手机号)过长,最多 64 个字符。",
    forbidden_title: "无权访问",
    forbidden_body: "您当前的角色无法打开此页面。如需访问,请联系管理员。",
    not_found_title: "页面不存在",
    not_found_body: "您访问的页面不存在或已被移除。",
    go_home: "返回我的首页",
    loading: "加载中…",
    signed_in_as: "当前用户",
    department: "部门",
    section_pending_title: "此功能即将上线",
    section_pending_body: "该模块正在建设中,上线后将在此处显示。",
    no_data_yet: "暂无数据",
    agent_console: "坐席工作台",
    nav_console: "工作台",
    nav_tickets: "工单",
    nav_customers: "客户",
    nav_knowledge: "知识库",
    nav_callbacks: "回拨列表",
    nav_outbound: "外呼任务",
    nav_my_quality: "我的质检",
    nav_billing_import: "计费数据导入",
    nav_phrases: "规范用语",
    agent_state: "坐席状态",
    agent_state_offline: "离线",
    agent_state_hint: "接入话务系统后,可在此切换 空闲 / 小休 / 整理 状态。",
    current_call: "当前来电",
    no_call: "暂无来电",
    no_call_hint: "来电振铃时,这里会自动弹出客户资料、未结工单和账单摘要。",
    my_queue: "我的工单",
    queue_due_soon: "即将超时",
    queue_open: "处理中",
    queue_to_revisit: "待回访",
    phrases: "规范用语",
    phrase_greeting: "您好,很高兴为您服务,请问有什么可以帮您?",
    phrase_closing: "感谢您的来电,祝您生活愉快,再见!",
    supervisor_dashboard: "班长监控台",
    nav_wallboard: "实时监控",
    nav_reports: "报表",
    nav_quality: "质检",
    nav_staffing: "排班预测",
    kpi_sla_at_risk: "即将超时",
    kpi_sla_breached: "已超时",
    kpi_backlog: "积压工单",
    kpi_service_level: "20 秒接通率",
    agents_now: "坐席状态",
    escalations: "升级工单",
    admin_home: "系统管理",
    nav_overview: "概览",
    nav_users: "用户",
    nav_departments: "部门",
    nav_categories: "工单分类",
    nav_sla: "时限策略",
    nav_calendars: "工作日历",
    nav_tokens: "接口令牌",
    nav_audit: "审计日志",
    departments: "部门",
    code: "编码",
    name: "名称",
    portal_home: "自助服务",
    nav_portal_home: "首页",
    nav_notices: "消息",
    nav_account: "账号",
    nav_requests: "我的诉求",
    nav_bills: "账单",
    nav_help: "帮助中心",
    portal_greeting: "您好,{name}",
    portal_intro: "在这里查看账单、提交和跟踪您的诉求,并对处理结果进行评价。",
    my_requests: "我的诉求",
    no_requests: "您目前没有进行中的诉求。",
    recent_bills: "近期账单",
    no_bills: "暂无账单记录。",
    self_help: "自助服务",
    self_help_hint: "搜索常见问题、跟着自助流程排查，或问问智能助手。",
    role_customer: "客户",
    role_agent: "坐席",
    role_supervisor: "班长",
    role_admin: "管理员",
};

/// English.
pub static EN: Texts = Texts {
    app_name: "Loopdesk Contact Center",
    tagline: "Register · dispatch · answer · follow up · archive — every step on the clock",
    language: "Language",
    login_title: "Sign in",
    login_subtitle: "Staff sign in with a username, customers with their mobile number.",
    login_name_label: "Username or mobile number",
    login_name_placeholder: "e.g. agent or 13800000001",
    password_label: "Password",
    show_password: "Show password",
    hide_password: "Hide password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    login_hint: "After 5 wrong passwords the account is locked for 15 minutes.",
    login_features: [
        "Screen pop: the caller's details the moment the phone rings",
        "Closed-loop tickets with clocks the server enforces",
        "Self-service: bills and progress at any time",
    ],
    err_invalid_credentials: "Wrong username (mobile number) or password.",
    err_locked:
        "Too many failed sign-in attempts. The account is locked; try again in {minutes} minutes.",
    err_empty_fields: "Enter your username (mobile number) and password.",
    err_disabled: "This account is disabled. Please contact an administrator.",
    err_bad_request: "The request could not be read. Reload the page and try again.",
    err_password_expired: "The password is older than 3 months. Choose a new one first.",
    err_password_reset: "An administrator reset the password. Choose your own first.",
    err_internal: "Something went wrong on our side. Please try again later.",
    err_unauthenticated: "Please sign in first.",
    err_forbidden: "You are not allowed to do this.",
    err_cross_site:
        "This request came from another site and was refused. Please use the Loopdesk pages.",
    err_timeout:
        "The server could not answer this request in time; nothing was changed. Please try again.",
    err_not_found: "The requested resource does not exist.",
    err_bad_origin: "The request came from another site. Reload the page and try again.",
    err_malformed_json: "The request body is not valid JSON: {detail}",
    err_invalid_body: "The request body is not what this endpoint expects: {detail}",
    err_unsupported_media: "Send the request with Content-Type: application/json.",
    err_too_large: "The request body is too large (limit 1 MB).",
    err_login_name_too_long: "The username (mobile number) is too long: 64 characters at most.",
    forbidden_title: "Access denied",
    forbidden_body: "Your role cannot open this page. Ask an administrator if you need access.",
    not_found_title: "Page not found",
    not_found_body: "The page you asked for does not exist or was removed.",
    go_home: "Go to my home page",
    loading: "Loading…",
    signed_in_as: "Signed in as",
    department: "Department",
    section_pending_title: "Coming soon",
    section_pending_body: "This module is being built and will appear here when it is ready.",
    no_data_yet: "No data yet",
    agent_console: "Agent console",
    nav_console: "Console",
    nav_tickets: "Tickets",
    nav_customers: "Customers",
    nav_knowledge: "Knowledge base",
    nav_callbacks: "Callbacks",
    nav_outbound: "Outbound tasks",
    nav_my_quality: "My quality",
    nav_billing_import: "Billing import",
    nav_phrases: "Standard phrases",
    agent_state: "Agent state",
    agent_state_offline: "Offline",
    agent_state_hint:
        "Once the phone system is connected, switch between available, break and wrap-up here.",
    current_call: "Current call",
    no_call: "No call",
    no_call_hint:
        "When a call rings, the caller's card, open tickets and billing summary pop up here.",
    my_queue: "My tickets",
    queue_due_soon: "Due soon",
    queue_open: "In progress",
    queue_to_revisit: "Follow-up due",
    phrases: "Standard phrases",
    phrase_greeting: "Hello, thank you for calling. How may I help you?",
    phrase_closing: "Thank you for calling. Have a nice day, goodbye!",
    supervisor_dashboard: "Supervisor dashboard",
    nav_wallboard: "Wallboard",
    nav_reports: "Reports",
    nav_quality: "Quality",
    nav_staffing: "Staffing",
    kpi_sla_at_risk: "SLA at risk",
    kpi_sla_breached: "SLA breached",
    kpi_backlog: "Backlog",
    kpi_service_level: "Answered in 20 s",
    agents_now: "Agent states",
    escalations: "Escalations",
    admin_home: "Administration",
    nav_overview: "Overview",
    nav_users: "Users",
    nav_departments: "Departments",
    nav_categories: "Categories",
    nav_sla: "SLA policies",
    nav_calendars: "Calendars",
    nav_tokens: "API tokens",
    nav_audit: "Audit log",
    departments: "Departments",
    code: "Code",
    name: "Name",
    portal_home: "Self-service",
    nav_portal_home: "Home",
    nav_notices: "Notifications",
    nav_account: "Account",
    nav_requests: "My requests",
    nav_bills: "Bills",
    nav_help: "Help center",
    portal_greeting: "Hello, {name}",
    portal_intro: "View your bills, submit and track requests, and rate how they were handled.",
    my_requests: "My requests",
    no_requests: "You have no open requests.",
    recent_bills: "Recent bills",
    no_bills: "No bills yet.",
    self_help: "Self-help",
    self_help_hint: "Search common questions, follow a self-service flow, or ask the assistant.",
    role_customer: "Customer",
    role_agent: "Agent",
    role_supervisor: "Supervisor",
    role_admin: "Administrator",
};

/// The catalogue for a language.
pub fn t(locale: Locale) -> &'static Texts {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// Replaces `{key}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |acc, (k, v)| {
        acc.replace(&format!("{{{k}}}"), v)
    })
}

/// A role's name in a language.
pub fn role_name(role: Role, locale: Locale) -> &'static str {
    let tx = t(locale);
    match role {
        Role::Customer => tx.role_customer,
        Role::Agent => tx.role_agent,
        Role::Supervisor => tx.role_supervisor,
        Role::Admin => tx.role_admin,
    }
}

/// An area's title in a language.
pub fn area_title(area: Area, locale: Locale) -> &'static str {
    let tx = t(locale);
    match area {
        Area::Agent => tx.agent_console,
        Area::Supervisor => tx.supervisor_dashboard,
        Area::Admin => tx.admin_home,
        Area::Portal => tx.portal_home,
    }
}

/// The navigation of an area: (path segment after the prefix, label). The empty segment is
/// the area's home.
pub fn area_nav(area: Area, locale: Locale) -> Vec<(&'static str, &'static str)> {
    let tx = t(locale);
    match area {
        Area::Agent => vec![
            ("", tx.nav_console),
            ("tickets", tx.nav_tickets),
            ("customers", tx.nav_customers),
            ("knowledge", tx.nav_knowledge),
            ("callbacks", tx.nav_callbacks),
            ("outbound", tx.nav_outbound),
            ("quality", tx.nav_my_quality),
        ],
        Area::Supervisor => vec![
            ("", tx.nav_wallboard),
            ("reports", tx.nav_reports),
            ("quality", tx.nav_quality),
            ("staffing", tx.nav_staffing),
            ("audit", tx.nav_audit),
        ],
        Area::Admin => vec![
            ("", tx.nav_overview),
            ("users", tx.nav_users),
            ("departments", tx.nav_departments),
            ("categories", tx.nav_categories),
            ("sla", tx.nav_sla),
            ("calendars", tx.nav_calendars),
            ("billing", tx.nav_billing_import),
            ("phrases", tx.nav_phrases),
            ("tokens", tx.nav_tokens),
            ("audit", tx.nav_audit),
        ],
        Area::Portal => vec![
            ("", tx.nav_portal_home),
            ("requests", tx.nav_requests),
            ("bills", tx.nav_bills),
            ("help", tx.nav_help),
            ("notices", tx.nav_notices),
            ("account", tx.nav_account),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            fill(ZH.err_locked, &[("minutes", "15")]),
            "登录失败次数过多,账号已被锁定,请在 15 分钟后重试。"
        );
        assert!(!fill(EN.portal_greeting, &[("name", "Ann")]).contains('{'));
    }

    #[test]
    fn both_languages_differ_and_have_no_empty_strings() {
        for role in Role::ALL {
            assert_ne!(role_name(role, Locale::ZhCn), role_name(role, Locale::En));
        }
        for area in Area::ALL {
            let zh = area_nav(area, Locale::ZhCn);
            let en = area_nav(area, Locale::En);
            assert_eq!(zh.len(), en.len());
            for ((sz, lz), (se, le)) in zh.iter().zip(en.iter()) {
                assert_eq!(sz, se);
                assert!(!lz.is_empty() && !le.is_empty() && lz != le);
            }
        }
    }
}
