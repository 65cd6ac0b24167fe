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
