//! Billing as the contact center sees it (DESIGN §3.5): accounts with their plan (套餐),
//! status and balance, monthly bills with items, payments and usage records — money always
//! as integer fen ([`Fen`]). Also the rules built on them: when an account is in arrears
//! (欠费) and by how much, and the summary a screen pop shows. Parsing and validating
//! imports lives in [`import`].

pub mod import;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::customer::CustomerId;

/// An amount of money in fen (分, 1/100 yuan). Negative balances are debts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    /// Zero.
    pub const ZERO: Fen = Fen(0);

    /// `12.34`, `-5.00`: yuan with two decimals, no currency sign.
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// Sum without overflow surprises (saturating).
    pub fn plus(self, other: Fen) -> Fen {
        Fen(self.0.saturating_add(other.0))
    }
}

impl std::fmt::Display for Fen {
    /// `¥12.34`, `-¥5.00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 < 0 {
            true => write!(f, "-¥{}", Fen(-self.0).yuan()),
            false => write!(f, "¥{}", self.yuan()),
        }
    }
}

coded_enum!(
    /// Whether an account may use services.
    AccountStatus {
        /// In service.
        Active = "active",
        /// Stopped for arrears (欠费停机) or on request.
        Suspended = "suspended",
        /// Closed (销户).
        Closed = "closed",
    }
);

coded_enum!(
    /// How a payment was made.
    PayMethod {
        /// Cash at a counter.
        Cash = "cash",
        /// Bank card.
        BankCard = "bank_card",
        /// Alipay.
        Alipay = "alipay",
        /// WeChat Pay.
        Wechat = "wechat",
        /// Bank transfer or direct debit.
        Bank = "bank",
        /// Recharge card or anything else.
        Other = "other",
    }
);

coded_enum!(
    /// What a usage record counts.
    UsageKind {
        /// Voice, in minutes.
        Voice = "voice",
        /// Data, in MB.
        Data = "data",
        /// Text messages, in messages.
        Sms = "sms",
    }
);

/// A billing month, `2026-10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
}

impl Period {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Period> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&month).then_some(Period { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Period {
    type Error = String;
    fn try_from(s: String) -> Result<Period, String> {
        Period::parse(&s).ok_or_else(|| format!("{s:?} is not a month (YYYY-MM)"))
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// A billing account (账户).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Account number, unique.
    pub number: String,
    /// Owner.
    pub customer: CustomerId,
    /// Plan (套餐) name.
    pub plan: String,
    /// Status.
    pub status: AccountStatus,
    /// Balance; negative when the customer owes money.
    pub balance: Fen,
    /// How far below zero the balance may go before suspension.
    pub credit_limit: Fen,
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillItem {
    /// What was charged (月基本费, 超出流量费 …).
    pub name: String,
    /// Amount (negative for discounts).
    pub amount: Fen,
}

/// A monthly bill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    /// Account number.
    pub account: String,
    /// Month billed.
    pub period: Period,
    /// Payment due date.
    pub due_on: NaiveDate,
    /// Lines, in the order the billing system sent them.
    pub items: Vec<BillItem>,
}

impl Bill {
    /// The bill's total: the sum of its items.
    pub fn total(&self) -> Fen {
        self.items.iter().fold(Fen::ZERO, |t, i| t.plus(i.amount))
    }
}

/// A payment (缴费) into an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The billing system's reference, unique.
    pub reference: String,
    /// Account number.
    pub account: String,
    /// When it was paid.
    pub paid_at: DateTime<Utc>,
    /// Amount, positive.
    pub amount: Fen,
    /// How.
    pub method: PayMethod,
}

/// One day's usage of one kind on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Account number.
    pub account: String,
    /// Day.
    pub day: NaiveDate,
    /// What.
    pub kind: UsageKind,
    /// Minutes, MB or messages.
    pub quantity: i64,
    /// What it cost beyond the plan.
    pub charge: Fen,
}

/// Usage of one kind summed over a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageTotal {
    /// What.
    pub kind: UsageKind,
    /// Minutes, MB or messages.
    pub quantity: i64,
    /// Charges.
    pub charge: Fen,
}

/// Sums usage records per kind, in [`UsageKind::ALL`] order; kinds without records are left
/// out.
pub fn usage_totals(records: &[Usage]) -> Vec<UsageTotal> {
    UsageKind::ALL
        .iter()
        .filter_map(|&kind| {
            let of_kind = records.iter().filter(|u| u.kind == kind);
            let (n, quantity, charge) = of_kind.fold((0, 0i64, Fen::ZERO), |(n, q, c), u| {
                (n + 1, q.saturating_add(u.quantity), c.plus(u.charge))
            });
            (n > 0).then_some(UsageTotal {
                kind,
                quantity,
                charge,
            })
        })
        .collect()
}

/// An account in arrears (欠费).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrears {
    /// What the customer owes (positive).
    pub owed: Fen,
    /// Due date of the oldest bill the debt goes back to.
    pub since: NaiveDate,
}

/// Whether an account is in arrears on `today`: its balance is negative and bills whose
/// due date has passed account for it. The debt is traced back through the past-due bills,
/// newest first, until they cover it; `since` is the due date of the oldest bill needed. A
/// negative balance that no past-due bill explains (the current bill is not due yet) is not
/// arrears.
pub fn arrears(account: &Account, bills: &[Bill], today: NaiveDate) -> Option<Arrears> {
    if account.balance.0 >= 0 || account.status == AccountStatus::Closed {
        return None;
    }
    let owed = Fen(-account.balance.0);
    let mut past_due: Vec<&Bill> = bills
        .iter()
        .filter(|b| b.account == account.number && b.due_on < today && b.total().0 > 0)
        .collect();
    past_due.sort_by_key(|b| std::cmp::Reverse(b.period));
    let mut covered = Fen::ZERO;
    let mut since = None;
    for bill in past_due {
        covered = covered.plus(bill.total());
        since = Some(bill.due_on);
        if covered >= owed {
            break;
        }
    }
    since.map(|since| Arrears { owed, since })
}

/// What a screen pop shows of a customer's billing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingSummary {
    /// Number of accounts.
    pub accounts: u32,
    /// Plan of the first account.
    pub plan: Option<String>,
    /// Sum of the balances.
    pub balance: Fen,
    /// Total owed by accounts in arrears.
    pub owed: Fen,
    /// Any account suspended.
    pub suspended: bool,
    /// The latest bill over all accounts: month and total.
    pub latest_bill: Option<(Period, Fen)>,
}

/// Summarises accounts and their bills for `today`.
pub fn summarize(accounts: &[Account], bills: &[Bill], today: NaiveDate) -> BillingSummary {
    let latest = bills.iter().max_by_key(|b| b.period);
    BillingSummary {
        accounts: accounts.len() as u32,
        plan: accounts.first().map(|a| a.plan.clone()),
        balance: accounts.iter().fold(Fen::ZERO, |t, a| t.plus(a.balance)),
        owed: accounts
            .iter()
            .filter_map(|a| arrears(a, bills, today))
            .fold(Fen::ZERO, |t, a| t.plus(a.owed)),
        suspended: accounts
            .iter()
            .any(|a| a.status == AccountStatus::Suspended),
        latest_bill: latest.map(|b| (b.period, b.total())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn account(balance: i64) -> Account {
        Account {
            number: "A1".into(),
            customer: CustomerId(Uuid::nil()),
            plan: "畅享 129".into(),
            status: AccountStatus::Active,
            balance: Fen(balance),
            credit_limit: Fen(0),
        }
    }

    fn bill(period: &str, due: &str, total: i64) -> Bill {
        Bill {
            account: "A1".into(),
            period: Period::parse(period).unwrap(),
            due_on: d(due),
            items: vec![
                BillItem {
                    name: "月基本费".into(),
                    amount: Fen(total + 500),
                },
                BillItem {
                    name: "优惠".into(),
                    amount: Fen(-500),
                },
            ],
        }
    }

    #[test]
    fn money_is_shown_in_yuan_with_two_decimals() {
        assert_eq!(Fen(1234).to_string(), "¥12.34");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(-500).to_string(), "-¥5.00");
        assert_eq!(Fen(0).yuan(), "0.00");
        assert_eq!(Fen(i64::MIN).plus(Fen(-1)), Fen(i64::MIN));
    }

    #[test]
    fn periods_parse_strictly() {
        assert_eq!(Period::parse("2026-10").unwrap().to_string(), "2026-10");
        for bad in ["2026-13", "2026-1", "26-10", "2026/10", "", "2026-00"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(Period::of(d("2026-02-28")).to_string(), "2026-02");
    }

    #[test]
    fn bill_totals_sum_their_items_including_discounts() {
        assert_eq!(bill("2026-10", "2026-11-15", 12900).total(), Fen(12900));
    }

    #[test]
    fn arrears_go_back_through_past_due_bills() {
        let bills = [
            bill("2026-08", "2026-09-15", 10000),
            bill("2026-09", "2026-10-15", 10000),
            bill("2026-10", "2026-11-15", 10000),
        ];
        // Nothing owed: no arrears.
        assert_eq!(arrears(&account(500), &bills, d("2026-12-01")), None);
        // Owes 150 yuan on 1 Dec: the October and September bills cover it.
        assert_eq!(
            arrears(&account(-15000), &bills, d("2026-12-01")),
            Some(Arrears {
                owed: Fen(15000),
                since: d("2026-10-15")
            })
        );
        // On 10 Nov the October bill is not yet due: only September's counts.
        assert_eq!(
            arrears(&account(-5000), &bills, d("2026-11-10")),
            Some(Arrears {
                owed: Fen(5000),
                since: d("2026-10-15")
            })
        );
        // More owed than all bills: since the oldest.
        assert_eq!(
            arrears(&account(-99999), &bills, d("2026-12-01"))
                .unwrap()
                .since,
            d("2026-09-15")
        );
        // A negative balance with no bill past due is not arrears.
        assert_eq!(arrears(&account(-100), &bills[2..], d("2026-11-10")), None);
        // Closed accounts are not chased.
        let mut closed = account(-15000);
        closed.status = AccountStatus::Closed;
        assert_eq!(arrears(&closed, &bills, d("2026-12-01")), None);
    }

    #[test]
    fn summaries_add_up_accounts_and_name_the_latest_bill() {
        let bills = [
            bill("2026-09", "2026-10-15", 10000),
            bill("2026-10", "2026-11-15", 12000),
        ];
        let s = summarize(&[account(-10000)], &bills, d("2026-12-01"));
        assert_eq!(s.accounts, 1);
        assert_eq!(s.balance, Fen(-10000));
        assert_eq!(s.owed, Fen(10000));
        assert_eq!(
            s.latest_bill,
            Some((Period::parse("2026-10").unwrap(), Fen(12000)))
        );
        assert!(!s.suspended);
        let empty = summarize(&[], &[], d("2026-12-01"));
        assert_eq!(
            (empty.accounts, empty.plan, empty.latest_bill),
            (0, None, None)
        );
    }

    #[test]
    fn usage_is_totalled_per_kind() {
        let u = |kind, q, c| Usage {
            account: "A1".into(),
            day: d("2026-11-01"),
            kind,
            quantity: q,
            charge: Fen(c),
        };
        let totals = usage_totals(&[
            u(UsageKind::Data, 500, 0),
            u(UsageKind::Voice, 30, 0),
            u(UsageKind::Data, 700, 300),
        ]);
        assert_eq!(
            totals,
            vec![
                UsageTotal {
                    kind: UsageKind::Voice,
                    quantity: 30,
                    charge: Fen(0)
                },
                UsageTotal {
                    kind: UsageKind::Data,
                    quantity: 1200,
                    charge: Fen(300)
                },
            ]
        );
    }
}
