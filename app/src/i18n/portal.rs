//! Strings of the customer portal (sign-up, password reset, home, bills, requests, the
//! ticket timeline, notices) in both languages, and the localized reasons portal input is
//! refused. A string missing in one language fails to compile.

use loopdesk::locale::Locale;

/// Too many attempts.
pub fn rate_limited(locale: Locale) -> String {
    match locale {
        Locale::ZhCn => "操作过于频繁，请稍后再试".into(),
        Locale::En => "Too many attempts; please wait a little and try again".into(),
    }
}

/// Why portal input was refused, as a whole sentence.
#[cfg(feature = "ssr")]
pub fn problem(p: &crate::desk::Invalid, locale: Locale) -> String {
    use crate::desk::Invalid;
    use loopdesk::portal::attachment::{AttachmentError, MAX_BYTES, MAX_PER_TICKET};
    use loopdesk::portal::{CodeError, PasswordError, PhoneError, CODE_TTL_MINUTES};
    let zh = locale == Locale::ZhCn;
    let s = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
    match p {
        Invalid::Phone(PhoneError::Empty) => s("请填写手机号码", "Enter your mobile number"),
        Invalid::Phone(PhoneError::NotMobile) => s(
            "请填写11位中国大陆手机号码",
            "Enter an 11-digit mainland China mobile number",
        ),
        Invalid::Password(PasswordError::TooShort { min }) => {
            if zh {
                format!("密码至少 {min} 位")
            } else {
                format!("The password needs at least {min} characters")
            }
        }
        Invalid::Password(PasswordError::NeedsThreeKinds) => s(
            "密码须包含大写字母、小写字母、数字和符号中的至少三种",
            "The password needs three of: upper-case letters, lower-case letters, digits, symbols",
        ),
        Invalid::Password(PasswordError::ContainsName) => s(
            "密码不能包含用户名",
            "The password must not contain the username",
        ),
        Invalid::Password(PasswordError::Reused) => s(
            "不能使用当前密码或最近用过的密码",
            "The password must differ from the current one and the ones used recently",
        ),
        Invalid::PasswordTooSoon { until } => {
            let local = until.with_timezone(&chrono_tz::Asia::Shanghai);
            if zh {
                format!(
                    "密码修改后 5 天内不能再次修改，请于 {} 之后再试",
                    local.format("%Y-%m-%d %H:%M")
                )
            } else {
                format!(
                    "A password cannot be changed again within 5 days; try after {}",
                    local.format("%Y-%m-%d %H:%M")
                )
            }
        }
        Invalid::AccountDisabled => s(
            "账号已停用，请联系管理员",
            "The account is disabled; ask an administrator",
        ),
        Invalid::OwnAccount => s(
            "不能对自己的账号执行此操作",
            "You cannot do this to your own account",
        ),
        Invalid::PasswordMismatch => s(
            "两次输入的新密码不一致",
            "The two new passwords do not match",
        ),
        Invalid::Password(PasswordError::TooLong) => s("密码过长", "The password is too long"),
        Invalid::Password(PasswordError::NeedsLettersAndDigits) => s(
            "密码须同时包含字母和数字",
            "The password needs both letters and digits",
        ),
        Invalid::Password(PasswordError::IsPhone) => s(
            "密码不能包含手机号码",
            "The password must not contain your phone number",
        ),
        Invalid::Code(CodeError::NotRequested) => {
            s("请先获取验证码", "Request a verification code first")
        }
        Invalid::Code(CodeError::Expired) => {
            if zh {
                format!("验证码已过期（有效期 {CODE_TTL_MINUTES} 分钟），请重新获取")
            } else {
                format!(
                    "The code has expired (valid {CODE_TTL_MINUTES} minutes); request a new one"
                )
            }
        }
        Invalid::Code(CodeError::TooManyAttempts) => s(
            "验证码错误次数过多，请重新获取",
            "Too many wrong codes; request a new one",
        ),
        Invalid::Code(CodeError::Malformed) => s("验证码为6位数字", "The code has 6 digits"),
        Invalid::Code(CodeError::Wrong) => s("验证码不正确", "The code is not correct"),
        Invalid::Attachment(AttachmentError::Empty) => s("文件是空的", "The file is empty"),
        Invalid::Attachment(AttachmentError::TooLarge) => {
            let mb = MAX_BYTES / (1024 * 1024);
            if zh {
                format!("文件不能超过 {mb} MB")
            } else {
                format!("Files may be at most {mb} MB")
            }
        }
        Invalid::Attachment(AttachmentError::UnsupportedType) => s(
            "只能上传图片（PNG、JPEG、GIF、WebP）或 PDF 文件",
            "Only images (PNG, JPEG, GIF, WebP) and PDF files can be attached",
        ),
        Invalid::Attachment(AttachmentError::TooMany) => {
            if zh {
                format!("每个诉求最多 {MAX_PER_TICKET} 个附件")
            } else {
                format!("A request can have at most {MAX_PER_TICKET} attachments")
            }
        }
        Invalid::Registered => s(
            "该号码已开通自助服务，请直接登录或找回密码",
            "This number already has an account; sign in or reset the password",
        ),
        Invalid::WrongPassword => s("当前密码不正确", "The current password is not correct"),
        _ => s("输入无效", "The input is not valid"),
    }
}

use loopdesk::portal::timeline::{Author, EntryKind};
use loopdesk::portal::CodePurpose;
use loopdesk::store::portal::NoticeKind;
use loopdesk::ticket::{ContactTime, TicketState};

use super::names::names;

names!(
    /// Ticket states in the customer's words.
    state(TicketState) {
        New => ("已提交", "Submitted"),
        Acknowledged => ("已受理", "Received"),
        Dispatched => ("处理中", "Being handled"),
        InProgress => ("处理中", "Being handled"),
        PendingCustomer => ("待您补充", "Waiting for you"),
        Resolved => ("已答复，待确认", "Answered — please confirm"),
        Closed => ("已办结", "Closed"),
        Cancelled => ("已撤销", "Cancelled"),
    }
);

names!(
    /// Preferred contact times.
    contact_time(ContactTime) {
        Any => ("任何时间", "Any time"),
        WorkdayDaytime => ("工作日白天", "Working days, daytime"),
        WorkdayEvening => ("工作日 18:00 后", "Working days after 18:00"),
        Weekend => ("周末", "Weekends"),
    }
);

/// The verification SMS.
pub fn code_sms(code: &str, purpose: CodePurpose, locale: Locale) -> String {
    let ttl = loopdesk::portal::CODE_TTL_MINUTES;
    match (locale, purpose) {
        (Locale::ZhCn, CodePurpose::Register) => format!(
            "【Loopdesk】您的注册验证码为 {code}，{ttl} 分钟内有效。如非本人操作请忽略。"
        ),
        (Locale::ZhCn, CodePurpose::Reset) => format!(
            "【Loopdesk】您正在重置密码，验证码为 {code}，{ttl} 分钟内有效。如非本人操作请忽略。"
        ),
        (Locale::En, CodePurpose::Register) => format!(
            "[Loopdesk] Your sign-up code is {code}, valid for {ttl} minutes. Ignore this if it was not you."
        ),
        (Locale::En, CodePurpose::Reset) => format!(
            "[Loopdesk] Your password reset code is {code}, valid for {ttl} minutes. Ignore this if it was not you."
        ),
    }
}

/// The columns of a bill CSV (the sixth is the total line's label).
pub fn csv_headers(locale: Locale) -> [&'static str; 6] {
    match locale {
        Locale::ZhCn => ["账户", "账期", "缴费截止日", "项目", "金额（元）", "合计"],
        Locale::En => [
            "Account",
            "Period",
            "Due on",
            "Item",
            "Amount (CNY)",
            "Total",
        ],
    }
}

/// Who, in the timeline.
pub fn author(a: &Author, locale: Locale) -> String {
    match (a, locale) {
        (Author::You, Locale::ZhCn) => "您".into(),
        (Author::You, Locale::En) => "You".into(),
        (Author::Agent(no), Locale::ZhCn) => format!("工号 {no}"),
        (Author::Agent(no), Locale::En) => format!("Agent {no}"),
        (Author::Center, Locale::ZhCn) => "客服中心".into(),
        (Author::Center, Locale::En) => "Service center".into(),
    }
}

/// A timeline entry: its code, its line and its text.
pub fn timeline_line(kind: &EntryKind, locale: Locale) -> (&'static str, String, Option<String>) {
    let zh = locale == Locale::ZhCn;
    let s = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
    match kind {
        EntryKind::Submitted => ("submitted", s("提交了诉求", "Submitted the request"), None),
        EntryKind::State { to } => (
            "state",
            if zh {
                format!("状态更新为：{}", state(*to, locale))
            } else {
                format!("Status: {}", state(*to, locale))
            },
            None,
        ),
        EntryKind::Answer { resolution } => (
            "answer",
            s("答复了您的诉求", "Answered your request"),
            Some(resolution.clone()),
        ),
        EntryKind::Message { text } => ("message", s("留言", "Message"), Some(text.clone())),
        EntryKind::FollowUp { satisfied } => (
            "follow_up",
            match satisfied {
                true => s("回访：满意", "Follow-up call: satisfied"),
                false => s(
                    "回访：不满意，重新处理",
                    "Follow-up call: not satisfied, reopened",
                ),
            },
            None,
        ),
        EntryKind::Confirmed {
            satisfied,
            rating,
            comment,
        } => (
            "confirmed",
            match (satisfied, zh) {
                (true, true) => format!("确认满意，评分 {rating}/5"),
                (false, true) => format!("表示不满意，评分 {rating}/5，诉求重新处理"),
                (true, false) => format!("Confirmed: satisfied, rated {rating}/5"),
                (false, false) => format!("Not satisfied, rated {rating}/5 — reopened"),
            },
            (!comment.is_empty()).then(|| comment.clone()),
        ),
    }
}

/// A notice line.
pub fn notice(number: &str, kind: NoticeKind, to: TicketState, locale: Locale) -> String {
    match (kind, locale) {
        (NoticeKind::Answered, Locale::ZhCn) => {
            format!("诉求 {number} 已答复，请查看并确认处理结果")
        }
        (NoticeKind::Answered, Locale::En) => {
            format!("{number} has been answered; please review and confirm")
        }
        (NoticeKind::Message, Locale::ZhCn) => format!("诉求 {number} 有新留言"),
        (NoticeKind::Message, Locale::En) => format!("New message on {number}"),
        (NoticeKind::StateChanged, Locale::ZhCn) => {
            format!("诉求 {number} 状态更新为：{}", state(to, locale))
        }
        (NoticeKind::StateChanged, Locale::En) => {
            format!("{number} is now: {}", state(to, locale))
        }
    }
}

/// Strings of the portal pages.
#[allow(missing_docs)]
pub struct PortalTexts {
    pub register_title: &'static str,
    pub register_intro: &'static str,
    pub reset_title: &'static str,
    pub reset_intro: &'static str,
    pub phone: &'static str,
    pub phone_placeholder: &'static str,
    pub send_code: &'static str,
    pub resend_in: &'static str,
    pub code: &'static str,
    pub code_sent: &'static str,
    pub code_activates: &'static str,
    pub demo_code_hint: &'static str,
    pub name: &'static str,
    pub new_password: &'static str,
    pub current_password: &'static str,
    pub password_rule: &'static str,
    pub create_account: &'static str,
    pub set_password: &'static str,
    pub have_account: &'static str,
    pub no_account: &'static str,
    pub forgot: &'static str,
    pub back_to_sign_in: &'static str,
    pub change_password: &'static str,
    pub password_changed: &'static str,
    pub open_requests: &'static str,
    pub all_requests: &'static str,
    pub new_request: &'static str,
    pub no_open_requests: &'static str,
    pub no_requests_hint: &'static str,
    pub balance: &'static str,
    pub recent_bills: &'static str,
    pub all_bills: &'static str,
    pub no_bills: &'static str,
    pub notices: &'static str,
    pub no_notices: &'static str,
    pub mark_read: &'static str,
    pub unread: &'static str,
    pub promise_contact: &'static str,
    pub promise_answer: &'static str,
    pub promise_waiting: &'static str,
    pub promise_confirm: &'static str,
    pub promise_late: &'static str,
    pub submit_title: &'static str,
    pub submit_intro: &'static str,
    pub kind: &'static str,
    pub category: &'static str,
    pub choose: &'static str,
    pub subject: &'static str,
    pub subject_hint: &'static str,
    pub description: &'static str,
    pub description_hint: &'static str,
    pub account: &'static str,
    pub no_account_choice: &'static str,
    pub contact_time: &'static str,
    pub files: &'static str,
    pub files_hint: &'static str,
    pub submit: &'static str,
    pub submitting: &'static str,
    pub submitted: &'static str,
    pub number: &'static str,
    pub submitted_at: &'static str,
    pub status: &'static str,
    pub details: &'static str,
    pub timeline: &'static str,
    pub attachments: &'static str,
    pub add_files: &'static str,
    pub upload: &'static str,
    pub reply: &'static str,
    pub reply_placeholder: &'static str,
    pub send: &'static str,
    pub confirm_title: &'static str,
    pub confirm_intro: &'static str,
    pub satisfied: &'static str,
    pub unsatisfied: &'static str,
    pub rating: &'static str,
    pub comment: &'static str,
    pub confirm_send: &'static str,
    pub closed_note: &'static str,
    pub bills_title: &'static str,
    pub download_csv: &'static str,
    pub plan: &'static str,
    pub back: &'static str,
    pub view: &'static str,
}

const ZH: PortalTexts = PortalTexts {
    register_title: "注册 / 激活自助服务",
    register_intro: "使用手机号码注册。若营业厅或客服已为您建立客户资料，注册即激活该资料。",
    reset_title: "找回密码",
    reset_intro: "我们会向您的手机发送验证码，验证后即可设置新密码。",
    phone: "手机号码",
    phone_placeholder: "11位手机号码",
    send_code: "获取验证码",
    resend_in: "{s} 秒后可重新获取",
    code: "验证码",
    code_sent: "验证码已发送至 {phone}，{min} 分钟内有效。",
    code_activates: "我们找到了该号码的客户资料，注册后即可查看账单和诉求。",
    demo_code_hint: "演示环境：短信内容（含验证码）打印在服务器控制台日志中。",
    name: "姓名",
    new_password: "新密码",
    current_password: "当前密码",
    password_rule: "至少8位，须包含字母和数字，不能包含手机号码。",
    create_account: "注册并登录",
    set_password: "设置新密码并登录",
    have_account: "已有账号？",
    no_account: "还没有账号？",
    forgot: "忘记密码？",
    back_to_sign_in: "返回登录",
    change_password: "修改密码",
    password_changed: "密码已修改。",
    open_requests: "进行中的诉求",
    all_requests: "全部诉求",
    new_request: "提交诉求",
    no_open_requests: "暂无进行中的诉求",
    no_requests_hint: "遇到问题？可以先搜索帮助中心，或直接提交诉求。",
    balance: "账户余额",
    recent_bills: "近期账单",
    all_bills: "查看全部账单",
    no_bills: "暂无账单",
    notices: "消息通知",
    no_notices: "暂无消息",
    mark_read: "全部标为已读",
    unread: "未读",
    promise_contact: "我们将在 {t} 前联系您",
    promise_answer: "我们将在 {t} 前答复您",
    promise_waiting: "正在等待您补充信息",
    promise_confirm: "已答复，请确认处理结果",
    promise_late: "已超过承诺时间，我们正在加急处理",
    submit_title: "提交诉求",
    submit_intro: "请尽量描述清楚问题的经过、时间和涉及的号码，我们会在 2 小时内受理。",
    kind: "诉求类型",
    category: "业务类别",
    choose: "请选择",
    subject: "标题",
    subject_hint: "可不填，默认取描述的第一句",
    description: "问题描述",
    description_hint: "例如：10月账单多扣了 20 元流量费，我没有开通过流量包。",
    account: "涉及账户",
    no_account_choice: "不涉及具体账户",
    contact_time: "方便联系的时间",
    files: "附件",
    files_hint: "可上传图片（PNG、JPEG、GIF、WebP）或 PDF，每个不超过 5 MB，最多 10 个。",
    submit: "提交",
    submitting: "正在提交…",
    submitted: "诉求已提交",
    number: "编号",
    submitted_at: "提交时间",
    status: "状态",
    details: "诉求内容",
    timeline: "处理进度",
    attachments: "附件",
    add_files: "补充附件",
    upload: "上传",
    reply: "补充说明",
    reply_placeholder: "补充信息或回复客服的问题",
    send: "发送",
    confirm_title: "请确认处理结果",
    confirm_intro: "如果问题已解决，请确认满意；如果没有解决，请选择不满意，我们会重新处理。",
    satisfied: "满意，问题已解决",
    unsatisfied: "不满意，重新处理",
    rating: "评分",
    comment: "评价（可选）",
    confirm_send: "提交评价",
    closed_note: "该诉求已办结，感谢您的评价。",
    bills_title: "我的账单",
    download_csv: "CSV",
    plan: "套餐",
    back: "返回",
    view: "查看",
};

const EN: PortalTexts = PortalTexts {
    register_title: "Sign up / activate self-service",
    register_intro: "Sign up with your mobile number. If our staff already created your customer record, signing up activates it.",
    reset_title: "Reset your password",
    reset_intro: "We will text a code to your phone; after checking it you can set a new password.",
    phone: "Mobile number",
    phone_placeholder: "11-digit mobile number",
    send_code: "Send code",
    resend_in: "Send again in {s} s",
    code: "Verification code",
    code_sent: "Code sent to {phone}, valid for {min} minutes.",
    code_activates: "We found a customer record for this number: after signing up you will see its bills and requests.",
    demo_code_hint: "Demo: text messages (with the code) are printed in the server's console log.",
    name: "Name",
    new_password: "New password",
    current_password: "Current password",
    password_rule: "At least 8 characters with letters and digits, not containing your number.",
    create_account: "Sign up and sign in",
    set_password: "Set password and sign in",
    have_account: "Have an account?",
    no_account: "No account yet?",
    forgot: "Forgot your password?",
    back_to_sign_in: "Back to sign-in",
    change_password: "Change password",
    password_changed: "Your password has been changed.",
    open_requests: "Open requests",
    all_requests: "All requests",
    new_request: "New request",
    no_open_requests: "No open requests",
    no_requests_hint: "Something wrong? Search the help center first, or submit a request.",
    balance: "Balance",
    recent_bills: "Recent bills",
    all_bills: "All bills",
    no_bills: "No bills yet",
    notices: "Notifications",
    no_notices: "No notifications",
    mark_read: "Mark all read",
    unread: "unread",
    promise_contact: "We will contact you by {t}",
    promise_answer: "We will answer by {t}",
    promise_waiting: "Waiting for more information from you",
    promise_confirm: "Answered — please confirm the outcome",
    promise_late: "Past the promised time — we are expediting it",
    submit_title: "Submit a request",
    submit_intro: "Describe what happened, when, and which numbers are involved. We acknowledge requests within 2 hours.",
    kind: "Type",
    category: "Category",
    choose: "Choose…",
    subject: "Subject",
    subject_hint: "Optional: the first sentence of the description is used",
    description: "Description",
    description_hint: "E.g. my October bill charged 20 CNY for data I never subscribed to.",
    account: "Account",
    no_account_choice: "No particular account",
    contact_time: "Best time to contact you",
    files: "Attachments",
    files_hint: "Images (PNG, JPEG, GIF, WebP) or PDF, up to 5 MB each, at most 10.",
    submit: "Submit",
    submitting: "Submitting…",
    submitted: "Request submitted",
    number: "Number",
    submitted_at: "Submitted",
    status: "Status",
    details: "Your request",
    timeline: "Progress",
    attachments: "Attachments",
    add_files: "Add files",
    upload: "Upload",
    reply: "Add information",
    reply_placeholder: "More details, or answer our question",
    send: "Send",
    confirm_title: "Please confirm the outcome",
    confirm_intro: "If the problem is solved, confirm you are satisfied; if not, tell us and we will work on it again.",
    satisfied: "Satisfied — solved",
    unsatisfied: "Not satisfied — reopen",
    rating: "Rating",
    comment: "Comment (optional)",
    confirm_send: "Send",
    closed_note: "This request is closed. Thank you for your feedback.",
    bills_title: "My bills",
    download_csv: "CSV",
    plan: "Plan",
    back: "Back",
    view: "View",
};

/// The portal strings in a language.
pub fn pt(locale: Locale) -> &'static PortalTexts {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// The SMS for a ticket notice.
pub fn notice_sms(number: &str, kind: NoticeKind, to: TicketState, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!(
            "【Loopdesk】{}。详情请登录自助服务查看。",
            notice(number, kind, to, locale)
        ),
        Locale::En => format!(
            "[Loopdesk] {}. Sign in to self-service for details.",
            notice(number, kind, to, locale)
        ),
    }
}
