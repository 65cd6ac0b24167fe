//! Names of the domain's enumerations in both languages (`{code, name}` in the API, labels
//! in the UI), and the localized reasons the closed loop gives for refusing an action.

use loopdesk::customer::Tier;
use loopdesk::locale::Locale;
use loopdesk::sla::{SlaTarget, TargetState};
use loopdesk::ticket::action::{Refusal, TransitionError};
use loopdesk::ticket::{Channel, Complexity, Priority, TicketKind, TicketState};

use super::fill;

macro_rules! names {
    ($(#[$m:meta])* $fn:ident($ty:ty) { $($v:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$m])*
        pub fn $fn(value: $ty, locale: Locale) -> &'static str {
            use $ty as T;
            let (zh, en) = match value { $(T::$v => ($zh, $en)),+ };
            match locale { Locale::ZhCn => zh, Locale::En => en }
        }
    };
}
pub(crate) use names;

names!(
    /// What an audit log entry records.
    audit_action_name(loopdesk::store::AuditAction) {
        LoginSucceeded => ("登录成功", "Signed in"),
        LoginFailed => ("登录失败", "Sign-in failed"),
        AccountLocked => ("账号锁定", "Login locked"),
        Logout => ("退出登录", "Signed out"),
        CalendarChanged => ("修改工作日历", "Calendar changed"),
        PoliciesChanged => ("修改时限策略", "SLA policies changed"),
        TicketImported => ("导入历史工单", "Ticket imported"),
        BillingViewed => ("查看账单", "Billing viewed"),
        NumberRevealed => ("查看完整号码", "Number revealed"),
        BillingImported => ("导入账单数据", "Billing imported"),
        PhrasesChanged => ("修改规范用语", "Phrases changed"),
        CustomerCreated => ("新建客户", "Customer created"),
        TokenCreated => ("创建接口令牌", "API token created"),
        TokenRevoked => ("吊销接口令牌", "API token revoked"),
        TokenUsed => ("使用接口令牌", "API token used"),
        TokenRefused => ("接口令牌被拒", "API token refused"),
        PasswordChanged => ("修改密码", "Password changed"),
        PasswordReset => ("重置密码", "Password reset"),
        AccountDisabled => ("停用账号", "Account disabled"),
        AccountEnabled => ("启用账号", "Account enabled"),
        SessionsRevoked => ("强制下线", "Signed out everywhere"),
    }
);

names!(
    /// Ticket state.
    state_name(TicketState) {
        New => ("已受理", "Registered"),
        Acknowledged => ("已回复受理", "Acknowledged"),
        Dispatched => ("已派单", "Dispatched"),
        InProgress => ("处理中", "In progress"),
        PendingCustomer => ("待客户", "Pending customer"),
        Resolved => ("已答复", "Answered"),
        Closed => ("已归档", "Closed"),
        Cancelled => ("已撤销", "Cancelled"),
    }
);

names!(
    /// Ticket kind.
    kind_name(TicketKind) {
        Inquiry => ("咨询", "Inquiry"),
        Query => ("查询", "Query"),
        Complaint => ("投诉", "Complaint"),
        FaultReport => ("故障申告", "Fault report"),
        ServiceRequest => ("业务受理", "Service request"),
        Suggestion => ("建议", "Suggestion"),
        Praise => ("表扬", "Praise"),
    }
);

names!(
    /// Channel.
    channel_name(Channel) {
        Phone => ("电话", "Phone"),
        Portal => ("自助门户", "Portal"),
        Chat => ("在线客服", "Chat"),
        Email => ("邮件", "E-mail"),
        Api => ("系统接口", "API"),
        WalkIn => ("营业厅", "Walk-in"),
    }
);

names!(
    /// Priority.
    priority_name(Priority) {
        Low => ("低", "Low"),
        Normal => ("普通", "Normal"),
        High => ("高", "High"),
        Urgent => ("紧急", "Urgent"),
    }
);

names!(
    /// Complaint complexity.
    complexity_name(Complexity) {
        Simple => ("简单", "Simple"),
        General => ("一般", "General"),
        Complex => ("复杂", "Complex"),
    }
);

names!(
    /// Customer tier.
    tier_name(Tier) {
        Normal => ("普通", "Normal"),
        Silver => ("银卡", "Silver"),
        Gold => ("金卡", "Gold"),
        Diamond => ("钻石卡", "Diamond"),
        Supreme => ("至尊", "Supreme"),
    }
);

names!(
    /// SLA target.
    target_name(SlaTarget) {
        Acknowledge => ("受理回复", "Acknowledge"),
        DispatchAcceptance => ("派单接收", "Dispatch acceptance"),
        Resolve => ("答复", "Resolve"),
        FollowUp => ("回访", "Follow-up"),
    }
);

names!(
    /// SLA target state.
    target_state_name(TargetState) {
        Running => ("计时中", "Running"),
        Paused => ("已暂停", "Paused"),
        Met => ("已达标", "Met"),
        Overdue => ("已超时", "Overdue"),
        Breached => ("已超限", "Breached"),
    }
);

/// Name of an event or action code (`registered`, `dispatch`, `sla_overdue`, …).
pub fn event_name(code: &str, locale: Locale) -> &'static str {
    let (zh, en) = match code {
        "registered" => ("登记", "Registered"),
        "acknowledge" => ("回复受理", "Acknowledge"),
        "dispatch" => ("派单", "Dispatch"),
        "accept" => ("接单", "Accept"),
        "return" => ("退单", "Return"),
        "transfer" => ("转派", "Transfer"),
        "pause" => ("挂起待客户", "Wait for customer"),
        "resume" => ("恢复处理", "Resume"),
        "reply" => ("答复客户", "Reply"),
        "revisit" => ("回访", "Follow-up"),
        "customer_confirm" => ("客户确认", "Customer confirmation"),
        "close" => ("归档", "Close"),
        "escalate" => ("升级", "Escalate"),
        "reassign" => ("改派处理人", "Reassign"),
        "comment" => ("备注", "Comment"),
        "cancel" => ("撤销工单", "Cancel ticket"),
        "sla_warning" => ("时限预警", "SLA warning"),
        "sla_overdue" => ("已超时", "SLA overdue"),
        "sla_breached" => ("超出时限上限", "SLA breached"),
        _ => ("其他", "Other"),
    };
    match locale {
        Locale::ZhCn => zh,
        Locale::En => en,
    }
}

/// Name of a request field in messages.
pub fn field_name(field: &str, locale: Locale) -> String {
    let (zh, en) = match field {
        "reason" => ("原因", "reason"),
        "resolution" => ("答复内容", "resolution"),
        "cause_category" => ("原因分类", "cause category"),
        "text" => ("内容", "text"),
        "subject" => ("标题", "subject"),
        "customer" => ("客户", "customer"),
        "department" => ("部门", "department"),
        "agent" => ("处理人", "agent"),
        "complexity" => ("复杂度", "complexity"),
        "name" => ("姓名", "name"),
        "phones" => ("电话", "phone numbers"),
        _ => {
            return match locale {
                Locale::ZhCn => format!("字段 {field} "),
                Locale::En => format!("field {field}"),
            }
        }
    };
    match locale {
        Locale::ZhCn => format!("{zh}（{field}）"),
        Locale::En => format!("{en} ({field})"),
    }
}

/// Why the closed loop refused an action, in the user's language.
pub fn transition_error(e: &TransitionError, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    match e {
        TransitionError::NotAllowedInState { action, state } => {
            let (a, s) = (event_name(action, locale), state_name(*state, locale));
            if zh {
                format!("工单处于“{s}”状态，不能执行“{a}”")
            } else {
                format!("“{a}” is not possible while the ticket is {s}")
            }
        }
        TransitionError::MissingField { field } => {
            let f = field_name(field, locale);
            if zh {
                format!("必须填写{f}")
            } else {
                format!("The {f} is required")
            }
        }
        TransitionError::BadRating(r) => fill(
            if zh {
                "评分必须在 1 到 5 之间，收到 {r}"
            } else {
                "The rating must be between 1 and 5, got {r}"
            },
            &[("r", &r.to_string())],
        ),
        TransitionError::Forbidden(refusal) => {
            let (zh_text, en_text) = match refusal {
                Refusal::CustomersOnlyConfirm => (
                    "客户只能确认或拒绝答复",
                    "Customers can only confirm or reject an answer",
                ),
                Refusal::OnlyCustomersConfirm => (
                    "只有客户本人可以确认答复",
                    "Only the customer confirms an answer",
                ),
                Refusal::NotInDepartment => (
                    "只有该工单所派部门的成员可以接单或退单",
                    "Only members of the department it was dispatched to may accept or return it",
                ),
                Refusal::SupervisorCancelsComplaints => (
                    "投诉工单只能由班长撤销",
                    "Only supervisors cancel complaints",
                ),
                Refusal::SupervisorClosesUnreachable => (
                    "回访未接通的工单只能由班长归档",
                    "Only supervisors close a ticket after unreachable follow-ups",
                ),
                Refusal::SupervisorReassigns => (
                    "只有班长可以改派处理人",
                    "Only supervisors reassign tickets",
                ),
                Refusal::AdminsDoNotWorkTickets => {
                    ("管理员不处理工单", "Administrators do not work tickets")
                }
            };
            if zh { zh_text } else { en_text }.to_owned()
        }
        TransitionError::FollowUpRequired { kind } => {
            let k = kind_name(*kind, locale);
            if zh {
                format!("{k}工单必须有回访结果才能归档")
            } else {
                format!(
                    "A {} can only be closed with a follow-up outcome",
                    k.to_lowercase()
                )
            }
        }
        TransitionError::NotEnoughUnreachableAttempts { attempts } => {
            if zh {
                format!("需要 3 次回访未接通才能直接归档，目前 {attempts} 次")
            } else {
                format!("Closing without a follow-up needs 3 unreachable attempts; there were {attempts}")
            }
        }
        TransitionError::SameDepartment => if zh {
            "工单已属于该部门"
        } else {
            "The ticket already belongs to that department"
        }
        .to_owned(),
        TransitionError::NothingToReturn => if zh {
            "该工单没有可退回的派单"
        } else {
            "The ticket has no dispatch to return"
        }
        .to_owned(),
    }
}

/// What is wrong with a calendar field, in the user's language.
pub fn spec_problem(p: &loopdesk::calendar::spec::SpecProblem, locale: Locale) -> String {
    use loopdesk::calendar::spec::SpecProblem as P;
    use loopdesk::calendar::CalendarError as C;
    if locale == Locale::En {
        return p.to_string();
    }
    match p {
        P::Calendar(c) => match c {
            C::BadTime { text } => format!("“{text}”不是有效的时刻（HH:MM，00:00 至 24:00）"),
            C::OutOfDay { minute } => format!("第 {minute} 分钟超出一天的范围"),
            C::EmptyInterval { .. } => "时段的结束时间必须晚于开始时间".to_owned(),
            C::Overlap { first, second } => format!("时段 {first} 与 {second} 重叠"),
            C::OverrideWithoutIntervals { date } => {
                format!("{date} 是调休或特殊工作日，至少需要一个工作时段")
            }
            C::UnknownTimeZone { name } => format!("未知时区“{name}”"),
            C::NoWorkingTime => "该日历三年内没有任何工作时间".to_owned(),
        },
        P::BadDate(d) => format!("“{d}”不是有效日期（YYYY-MM-DD）"),
        P::DuplicateDate(d) => format!("日期 {d} 重复"),
        P::HolidayWithIntervals => "节假日不能有工作时段".to_owned(),
        P::BadLine(l) => format!("格式应为 日期,类型[,时段]，实际为“{l}”"),
        P::BadKind(k) => format!("“{k}”不是 holiday、workday 或 special"),
    }
}

names!(
    /// Billing account status.
    account_status_name(loopdesk::billing::AccountStatus) {
        Active => ("正常", "Active"),
        Suspended => ("停机", "Suspended"),
        Closed => ("已销户", "Closed"),
    }
);

names!(
    /// Payment method.
    pay_method_name(loopdesk::billing::PayMethod) {
        Cash => ("现金", "Cash"),
        BankCard => ("银行卡", "Bank card"),
        Alipay => ("支付宝", "Alipay"),
        Wechat => ("微信支付", "WeChat Pay"),
        Bank => ("银行代扣/转账", "Bank transfer"),
        Other => ("其他", "Other"),
    }
);

names!(
    /// Usage kind.
    usage_kind_name(loopdesk::billing::UsageKind) {
        Voice => ("语音（分钟）", "Voice (minutes)"),
        Data => ("流量（MB）", "Data (MB)"),
        Sms => ("短信（条）", "Text messages"),
    }
);

names!(
    /// What a billing CSV file holds.
    import_kind_name(loopdesk::billing::import::ImportKind) {
        Accounts => ("账户", "Accounts"),
        Bills => ("账单明细", "Bill items"),
        Payments => ("缴费记录", "Payments"),
        Usage => ("用量", "Usage"),
    }
);

names!(
    /// Why an outbound task exists.
    task_reason_name(loopdesk::task::TaskReason) {
        FollowUp => ("回访", "Follow-up"),
        SlaOverdue => ("超时主动告知", "Overdue notice"),
        Callback => ("未接回拨", "Callback"),
        Collection => ("欠费催缴", "Collection"),
    }
);

names!(
    /// A task outcome.
    task_outcome_name(loopdesk::task::TaskOutcome) {
        Reached => ("已联系", "Reached"),
        Satisfied => ("满意", "Satisfied"),
        Unsatisfied => ("不满意", "Not satisfied"),
        NoAnswer => ("无人接听", "No answer"),
        WrongNumber => ("号码错误", "Wrong number"),
        Promised => ("承诺缴费", "Promised to pay"),
        Unreachable => ("多次未接通", "Unreachable"),
        Superseded => ("已无需外呼", "No longer needed"),
    }
);

names!(
    /// An agent state.
    agent_state_name(loopdesk::agent::AgentState) {
        Available => ("空闲", "Available"),
        OnCall => ("通话中", "On call"),
        WrapUp => ("话后处理", "Wrap-up"),
        Break => ("小休", "Break"),
        Offline => ("离线", "Offline"),
    }
);

names!(
    /// A call state.
    call_state_name(loopdesk::call::CallState) {
        Ringing => ("振铃中", "Ringing"),
        Connected => ("通话中", "Connected"),
        Completed => ("已接听", "Answered"),
        Missed => ("未接", "Missed"),
    }
);

/// A billing-import problem in words: where, which field, what.
pub fn import_issue(i: &loopdesk::billing::import::ImportIssue, locale: Locale) -> String {
    use loopdesk::billing::import::{ImportProblem as P, RowRef};
    let zh = locale == Locale::ZhCn;
    let at = match (&i.at, zh) {
        (Some(RowRef::Line(n)), true) => format!("第 {n} 行"),
        (Some(RowRef::Line(n)), false) => format!("Line {n}"),
        (Some(RowRef::Path(p)), _) => p.clone(),
        (None, true) => "文件".to_owned(),
        (None, false) => "File".to_owned(),
    };
    let what = match (&i.problem, zh) {
        (P::Syntax { detail }, true) => format!("无法解析：{detail}"),
        (P::Syntax { detail }, false) => format!("cannot be read: {detail}"),
        (P::UnknownSection, true) => "不是可导入的部分（accounts、bills、payments、usage）".into(),
        (P::UnknownSection, false) => "is not a section (accounts, bills, payments, usage)".into(),
        (P::MissingColumn, true) => "缺少该列".into(),
        (P::MissingColumn, false) => "this column is missing".into(),
        (P::Empty, true) => "没有任何记录".into(),
        (P::Empty, false) => "has no records".into(),
        (P::TooManyRows, true) => "记录过多（最多 50000 条）".into(),
        (P::TooManyRows, false) => "has too many records (at most 50,000)".into(),
        (P::Missing, true) => "必须填写".into(),
        (P::Missing, false) => "is required".into(),
        (P::NotInteger, true) => "必须是整数（金额以分为单位）".into(),
        (P::NotInteger, false) => "must be a whole number (money in fen)".into(),
        (P::NotDate, true) => "不是有效日期（YYYY-MM-DD）".into(),
        (P::NotDate, false) => "is not a date (YYYY-MM-DD)".into(),
        (P::NotMonth, true) => "不是有效月份（YYYY-MM）".into(),
        (P::NotMonth, false) => "is not a month (YYYY-MM)".into(),
        (P::NotTime, true) => "不是有效时间".into(),
        (P::NotTime, false) => "is not a time".into(),
        (P::NotPhone, true) => "不是有效的电话号码".into(),
        (P::NotPhone, false) => "is not a phone number".into(),
        (P::NotOneOf { allowed }, true) => format!("必须是 {} 之一", allowed.join("、")),
        (P::NotOneOf { allowed }, false) => format!("must be one of {}", allowed.join(", ")),
        (P::Negative, true) => "不能为负数".into(),
        (P::Negative, false) => "must not be negative".into(),
        (P::NotPositive, true) => "必须大于零".into(),
        (P::NotPositive, false) => "must be more than zero".into(),
        (P::BadText { max }, true) => format!("过长或含有不允许的字符（最多 {max} 个字符）"),
        (P::BadText { max }, false) => {
            format!("is too long or has characters not allowed (at most {max})")
        }
        (P::Duplicate, true) => "在文件中重复出现".into(),
        (P::Duplicate, false) => "appears twice in the file".into(),
        (P::Inconsistent, true) => "与同一账单的其他行不一致".into(),
        (P::Inconsistent, false) => "disagrees with other rows of the same bill".into(),
        (P::UnknownCustomer, true) => "没有客户使用该号码".into(),
        (P::UnknownCustomer, false) => "belongs to no customer".into(),
        (P::AmbiguousCustomer, true) => "有多位客户使用该号码".into(),
        (P::AmbiguousCustomer, false) => "belongs to several customers".into(),
        (P::UnknownAccount, true) => "账户既不在文件中也不在系统中".into(),
        (P::UnknownAccount, false) => "is neither in the file nor on record".into(),
    };
    match (&i.field, zh) {
        (Some(f), true) => format!("{at}，{f}：{what}"),
        (Some(f), false) => format!("{at}, {f}: {what}"),
        (None, true) => format!("{at}：{what}"),
        (None, false) => format!("{at}: {what}"),
    }
}

/// Why a task operation was refused, in words.
pub fn task_error(e: &loopdesk::task::TaskError, locale: Locale) -> String {
    use loopdesk::task::TaskError as E;
    match (e, locale) {
        (E::Done, Locale::ZhCn) => "该任务已完成".into(),
        (E::TakenByOther, Locale::ZhCn) => "该任务已被其他坐席领取".into(),
        (E::OutcomeNotAllowed { .. }, Locale::ZhCn) => "该结果不适用于此类任务".into(),
        (E::Done, Locale::En) => "The task is already done".into(),
        (E::TakenByOther, Locale::En) => "Another agent has taken the task".into(),
        (E::OutcomeNotAllowed { .. }, Locale::En) => {
            "That outcome does not apply to this kind of task".into()
        }
    }
}

/// Why an agent-state change was refused, in words.
pub fn agent_state_error(e: &loopdesk::agent::AgentStateError, locale: Locale) -> String {
    use loopdesk::agent::AgentStateError as E;
    match (e, locale) {
        (E::NotSelectable, Locale::ZhCn) => "通话中和话后处理状态由话务系统设置".into(),
        (E::ReasonRequired, Locale::ZhCn) => "小休必须填写原因".into(),
        (E::OnCall, Locale::ZhCn) => "通话中不能切换状态".into(),
        (E::WrapUpPending, Locale::ZhCn) => "请先提交上一通电话的小结".into(),
        (E::NotSelectable, Locale::En) => "On call and wrap-up are set by the telephony".into(),
        (E::ReasonRequired, Locale::En) => "A break needs a reason".into(),
        (E::OnCall, Locale::En) => "The state cannot change during a call".into(),
        (E::WrapUpPending, Locale::En) => "Submit the last call's wrap-up first".into(),
    }
}

/// Why an API token was refused, in words.
pub fn token_refusal(r: loopdesk::token::TokenRefusal, locale: Locale) -> String {
    use loopdesk::token::TokenRefusal as R;
    match (r, locale) {
        (R::Invalid, Locale::ZhCn) => "接口令牌无效".into(),
        (R::Revoked, Locale::ZhCn) => "接口令牌已被吊销".into(),
        (R::Expired, Locale::ZhCn) => "接口令牌已过期".into(),
        (R::AddressNotAllowed, Locale::ZhCn) => "该地址不在令牌允许的 IP 范围内".into(),
        (R::ScopeMissing, Locale::ZhCn) => "接口令牌没有此操作的权限范围".into(),
        (R::Invalid, Locale::En) => "The API token is invalid".into(),
        (R::Revoked, Locale::En) => "The API token has been revoked".into(),
        (R::Expired, Locale::En) => "The API token has expired".into(),
        (R::AddressNotAllowed, Locale::En) => "This address is not allowed for the token".into(),
        (R::ScopeMissing, Locale::En) => "The API token lacks the scope for this".into(),
    }
}

/// Why a token definition was refused, in words (after the field name).
pub fn token_definition_error(e: &loopdesk::token::TokenDefinitionError, locale: Locale) -> String {
    use loopdesk::token::TokenDefinitionError as E;
    match (e, locale) {
        (E::NameRequired, Locale::ZhCn) => "必须填写".into(),
        (E::ScopeRequired, Locale::ZhCn) => "至少选择一个权限范围".into(),
        (E::BadAddress(a), Locale::ZhCn) => format!("“{a}”不是有效的 IP 地址或网段"),
        (E::ExpiryPast, Locale::ZhCn) => "不能早于现在".into(),
        (E::ActorRequired, Locale::ZhCn) => "工单权限须指定代为操作的坐席或班长".into(),
        (E::NameRequired, Locale::En) => "is required".into(),
        (E::ScopeRequired, Locale::En) => "needs at least one scope".into(),
        (E::BadAddress(a), Locale::En) => format!("has {a:?}, which is not an IP address or range"),
        (E::ExpiryPast, Locale::En) => "must be in the future".into(),
        (E::ActorRequired, Locale::En) => {
            "needs an agent or supervisor to act as for the ticket scopes".into()
        }
    }
}

/// Why a standard phrase was refused, in words (after the field name).
pub fn phrase_error(e: &loopdesk::phrase::PhraseError, locale: Locale) -> String {
    use loopdesk::phrase::PhraseError as E;
    match (e, locale) {
        (E::TitleRequired, Locale::ZhCn) => "中英文标题都必须填写".into(),
        (E::StepRequired, Locale::ZhCn) => "每一步都必须有中文和英文话术".into(),
        (E::PauseTooLong, Locale::ZhCn) => "停顿最长 60 秒".into(),
        (E::UnknownVariable, Locale::ZhCn) => {
            "含有未知变量（可用 {agent_no}、{customer}、{greeting}、{center}）".into()
        }
        (E::TitleRequired, Locale::En) => "needs both titles".into(),
        (E::StepRequired, Locale::En) => "needs Chinese and English text in every step".into(),
        (E::PauseTooLong, Locale::En) => "pauses are at most 60 seconds".into(),
        (E::UnknownVariable, Locale::En) => {
            "uses an unknown variable (use {agent_no}, {customer}, {greeting}, {center})".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_and_kind_has_two_names() {
        for s in TicketState::ALL {
            assert_ne!(state_name(*s, Locale::ZhCn), state_name(*s, Locale::En));
        }
        for k in TicketKind::ALL {
            assert_ne!(kind_name(*k, Locale::ZhCn), kind_name(*k, Locale::En));
        }
        assert_eq!(state_name(TicketState::Closed, Locale::ZhCn), "已归档");
    }

    #[test]
    fn refusals_read_naturally() {
        let e = TransitionError::NotAllowedInState {
            action: "accept",
            state: TicketState::Closed,
        };
        assert_eq!(
            transition_error(&e, Locale::ZhCn),
            "工单处于“已归档”状态，不能执行“接单”"
        );
        let e = TransitionError::MissingField { field: "reason" };
        assert_eq!(
            transition_error(&e, Locale::En),
            "The reason (reason) is required"
        );
    }
}
