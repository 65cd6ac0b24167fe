//! Billing imports (CSV and JSON), parsed and validated row by row before anything is
//! written. Every problem names where it is (`line 7` of a CSV file, `bills[2].items[0]`
//! of a JSON document), the field and what is wrong, so the whole file can be fixed in one
//! go; a batch with any problem is refused as a whole.
//!
//! Formats (money in integer fen, dates `YYYY-MM-DD`, months `YYYY-MM`, times RFC 3339 or
//! `YYYY-MM-DD HH:MM[:SS]` in China Standard Time):
//! - accounts: `number, customer_phone, plan, status, balance_fen, credit_limit_fen`
//! - bills: one CSV row per item `account, period, due_on, item, amount_fen`; in JSON
//!   `{account, period, due_on, items: [{name, amount_fen}]}`
//! - payments: `reference, account, paid_at, amount_fen, method`
//! - usage: `account, day, kind, quantity, charge_fen`
//!
//! A JSON document has any of the sections `accounts`, `bills`, `payments`, `usage`; a CSV
//! file holds one kind, named by the caller. Which customers and accounts the rows refer
//! to is checked against the store by the caller ([`ImportProblem::UnknownCustomer`],
//! [`ImportProblem::UnknownAccount`]).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::{AccountStatus, Bill, BillItem, Fen, PayMethod, Payment, Period, Usage, UsageKind};
use crate::customer::normalize_phone;

coded_enum!(
    /// What a CSV file holds.
    ImportKind {
        /// Accounts.
        Accounts = "accounts",
        /// Bill items.
        Bills = "bills",
        /// Payments.
        Payments = "payments",
        /// Usage records.
        Usage = "usage",
    }
);

/// Most rows one import may hold (the 1 MB body limit keeps real files far below).
pub const MAX_ROWS: usize = 50_000;
/// Most problems reported for one file.
pub const MAX_ISSUES: usize = 200;

/// Where in the file a row is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RowRef {
    /// A CSV line (1-based, the header is line 1).
    Line(u64),
    /// A JSON path.
    Path(String),
}

impl std::fmt::Display for RowRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowRef::Line(n) => write!(f, "line {n}"),
            RowRef::Path(p) => f.write_str(p),
        }
    }
}

/// What is wrong with a value or a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ImportProblem {
    /// The file cannot be read as CSV/JSON at all.
    Syntax {
        /// The parser's words.
        detail: String,
    },
    /// A JSON section that does not exist.
    UnknownSection,
    /// The CSV header lacks a required column.
    MissingColumn,
    /// No rows.
    Empty,
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
    /// A required value is empty.
    Missing,
    /// Not an integer.
    NotInteger,
    /// Not a date (`YYYY-MM-DD`).
    NotDate,
    /// Not a month (`YYYY-MM`).
    NotMonth,
    /// Not a time.
    NotTime,
    /// Not a phone number.
    NotPhone,
    /// Not one of the allowed codes.
    NotOneOf {
        /// The allowed codes.
        allowed: Vec<String>,
    },
    /// Must not be negative.
    Negative,
    /// Must be more than zero.
    NotPositive,
    /// Too long or containing characters an identifier may not have.
    BadText {
        /// Longest allowed.
        max: usize,
    },
    /// The same record appears twice in the file.
    Duplicate,
    /// Rows of one bill disagree (e.g. two due dates).
    Inconsistent,
    /// No customer has this number.
    UnknownCustomer,
    /// Several customers have this number.
    AmbiguousCustomer,
    /// The account is neither in the file nor on record.
    UnknownAccount,
}

/// One problem found in an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportIssue {
    /// Where (absent for the whole file).
    pub at: Option<RowRef>,
    /// The column or JSON key.
    pub field: Option<String>,
    /// What.
    #[serde(flatten)]
    pub problem: ImportProblem,
}

/// An account row: as [`super::Account`], but the owner is still a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// Account number.
    pub number: String,
    /// The owner's normalised phone number.
    pub customer_phone: String,
    /// Plan.
    pub plan: String,
    /// Status.
    pub status: AccountStatus,
    /// Balance.
    pub balance: Fen,
    /// Credit limit.
    pub credit_limit: Fen,
}

/// A record with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// Where.
    pub at: RowRef,
    /// What.
    pub value: T,
}

/// A parsed, valid batch (customers and accounts not yet resolved against the store).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBatch {
    /// Accounts.
    pub accounts: Vec<Located<AccountRow>>,
    /// Bills.
    pub bills: Vec<Located<Bill>>,
    /// Payments.
    pub payments: Vec<Located<Payment>>,
    /// Usage.
    pub usage: Vec<Located<Usage>>,
}

impl ParsedBatch {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.accounts.len() + self.bills.len() + self.payments.len() + self.usage.len()
    }

    /// No records at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Account numbers the bills, payments and usage refer to, each once.
    pub fn referenced_accounts(&self) -> Vec<(&RowRef, &str)> {
        let bills = self.bills.iter().map(|b| (&b.at, b.value.account.as_str()));
        let payments = self
            .payments
            .iter()
            .map(|p| (&p.at, p.value.account.as_str()));
        let usage = self.usage.iter().map(|u| (&u.at, u.value.account.as_str()));
        bills.chain(payments).chain(usage).collect()
    }
}

/// One row's named values (trimmed; empty means absent).
struct Fields {
    at: RowRef,
    values: BTreeMap<String, String>,
}

/// Collects the problems of one file.
#[derive(Default)]
struct Checker {
    issues: Vec<ImportIssue>,
}

impl Checker {
    fn push(&mut self, at: Option<&RowRef>, field: Option<&str>, problem: ImportProblem) {
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(ImportIssue {
                at: at.cloned(),
                field: field.map(str::to_owned),
                problem,
            });
        }
    }

    fn get<'f>(&mut self, row: &'f Fields, field: &str) -> Option<&'f str> {
        let v = row
            .values
            .get(field)
            .map(String::as_str)
            .filter(|v| !v.is_empty());
        if v.is_none() {
            self.push(Some(&row.at), Some(field), ImportProblem::Missing);
        }
        v
    }

    fn check<T>(
        &mut self,
        row: &Fields,
        field: &str,
        value: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, ImportProblem>,
    ) -> Option<T> {
        match parse(value?) {
            Ok(v) => Some(v),
            Err(p) => {
                self.push(Some(&row.at), Some(field), p);
                None
            }
        }
    }

    fn id(&mut self, row: &Fields, field: &str) -> Option<String> {
        let v = self.get(row, field);
        self.check(row, field, v, |s| {
            let ok = s.len() <= 32
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            ok.then(|| s.to_owned())
                .ok_or(ImportProblem::BadText { max: 32 })
        })
    }

    fn text(&mut self, row: &Fields, field: &str, max: usize) -> Option<String> {
        let v = self.get(row, field);
        self.check(row, field, v, |s| {
            let ok = s.chars().count() <= max && !s.chars().any(char::is_control);
            ok.then(|| s.to_owned())
                .ok_or(ImportProblem::BadText { max })
        })
    }

    fn fen(&mut self, row: &Fields, field: &str, rule: Sign) -> Option<Fen> {
        let v = match rule {
            Sign::ZeroIfAbsent if row.values.get(field).is_none_or(|v| v.is_empty()) => {
                return Some(Fen::ZERO)
            }
            _ => self.get(row, field),
        };
        self.check(row, field, v, |s| {
            let n: i64 = s.parse().map_err(|_| ImportProblem::NotInteger)?;
            match rule {
                Sign::Positive if n <= 0 => Err(ImportProblem::NotPositive),
                Sign::NotNegative | Sign::ZeroIfAbsent if n < 0 => Err(ImportProblem::Negative),
                _ => Ok(Fen(n)),
            }
        })
    }

    fn date(&mut self, row: &Fields, field: &str) -> Option<NaiveDate> {
        let v = self.get(row, field);
        self.check(row, field, v, |s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ImportProblem::NotDate)
        })
    }

    fn coded<T: Copy>(
        &mut self,
        row: &Fields,
        field: &str,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Option<T> {
        let v = self.get(row, field);
        self.check(row, field, v, |s| {
            all.iter()
                .copied()
                .find(|t| code(*t) == s)
                .ok_or_else(|| ImportProblem::NotOneOf {
                    allowed: all.iter().map(|t| code(*t).to_owned()).collect(),
                })
        })
    }
}

#[derive(Clone, Copy)]
enum Sign {
    Any,
    NotNegative,
    Positive,
    ZeroIfAbsent,
}

/// Parses a payment time: RFC 3339, or a local China Standard Time `YYYY-MM-DD HH:MM[:SS]`.
fn parse_time(s: &str) -> Result<DateTime<Utc>, ImportProblem> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .and_then(|t| chrono_tz::Asia::Shanghai.from_local_datetime(&t).single())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(ImportProblem::NotTime)
}

fn account_row(c: &mut Checker, row: &Fields) -> Option<AccountRow> {
    let number = c.id(row, "number");
    let phone = c.get(row, "customer_phone");
    let phone = c.check(row, "customer_phone", phone, |s| {
        normalize_phone(s).ok_or(ImportProblem::NotPhone)
    });
    let plan = c.text(row, "plan", 60);
    let status = c.coded(row, "status", AccountStatus::ALL, AccountStatus::code);
    let balance = c.fen(row, "balance_fen", Sign::Any);
    let credit_limit = c.fen(row, "credit_limit_fen", Sign::ZeroIfAbsent);
    Some(AccountRow {
        number: number?,
        customer_phone: phone?,
        plan: plan?,
        status: status?,
        balance: balance?,
        credit_limit: credit_limit?,
    })
}

/// A bill's header fields: account, period, due date.
fn bill_head(c: &mut Checker, row: &Fields) -> Option<(String, Period, NaiveDate)> {
    let account = c.id(row, "account");
    let period = c.get(row, "period");
    let period = c.check(row, "period", period, |s| {
        Period::parse(s).ok_or(ImportProblem::NotMonth)
    });
    let due_on = c.date(row, "due_on");
    Some((account?, period?, due_on?))
}

fn bill_item(c: &mut Checker, row: &Fields, name_field: &str) -> Option<BillItem> {
    let name = c.text(row, name_field, 60);
    let amount = c.fen(row, "amount_fen", Sign::Any);
    Some(BillItem {
        name: name?,
        amount: amount?,
    })
}

fn payment(c: &mut Checker, row: &Fields) -> Option<Payment> {
    let reference = c.id(row, "reference");
    let account = c.id(row, "account");
    let paid_at = c.get(row, "paid_at");
    let paid_at = c.check(row, "paid_at", paid_at, parse_time);
    let amount = c.fen(row, "amount_fen", Sign::Positive);
    let method = c.coded(row, "method", PayMethod::ALL, PayMethod::code);
    Some(Payment {
        reference: reference?,
        account: account?,
        paid_at: paid_at?,
        amount: amount?,
        method: method?,
    })
}

fn usage(c: &mut Checker, row: &Fields) -> Option<Usage> {
    let account = c.id(row, "account");
    let day = c.date(row, "day");
    let kind = c.coded(row, "kind", UsageKind::ALL, UsageKind::code);
    let quantity = c.fen(row, "quantity", Sign::NotNegative);
    let charge = c.fen(row, "charge_fen", Sign::ZeroIfAbsent);
    Some(Usage {
        account: account?,
        day: day?,
        kind: kind?,
        quantity: quantity?.0,
        charge: charge?,
    })
}

/// Required CSV columns per kind.
fn columns(kind: ImportKind) -> &'static [&'static str] {
    match kind {
        ImportKind::Accounts => &["number", "customer_phone", "plan", "status", "balance_fen"],
        ImportKind::Bills => &["account", "period", "due_on", "item", "amount_fen"],
        ImportKind::Payments => &["reference", "account", "paid_at", "amount_fen", "method"],
        ImportKind::Usage => &["account", "day", "kind", "quantity"],
    }
}

/// Adds rows of one kind to the batch, checking duplicates within the file. Bill rows
/// (one per item) are grouped into bills by account and month.
fn add_rows(c: &mut Checker, batch: &mut ParsedBatch, kind: ImportKind, rows: Vec<Fields>) {
    let mut seen = HashSet::new();
    let mut dup = |c: &mut Checker, at: &RowRef, field: &str, key: String| {
        let fresh = seen.insert(key);
        if !fresh {
            c.push(Some(at), Some(field), ImportProblem::Duplicate);
        }
        fresh
    };
    for row in rows {
        match kind {
            ImportKind::Accounts => {
                if let Some(a) = account_row(c, &row) {
                    if dup(c, &row.at, "number", a.number.clone()) {
                        batch.accounts.push(Located {
                            at: row.at,
                            value: a,
                        });
                    }
                }
            }
            ImportKind::Bills => {
                let head = bill_head(c, &row);
                let item = bill_item(c, &row, "item");
                let (Some((account, period, due_on)), Some(item)) = (head, item) else {
                    continue;
                };
                let existing = batch
                    .bills
                    .iter_mut()
                    .find(|b| b.value.account == account && b.value.period == period);
                match existing {
                    Some(b) if b.value.due_on != due_on => {
                        c.push(Some(&row.at), Some("due_on"), ImportProblem::Inconsistent)
                    }
                    Some(b) => b.value.items.push(item),
                    None => batch.bills.push(Located {
                        at: row.at,
                        value: Bill {
                            account,
                            period,
                            due_on,
                            items: vec![item],
                        },
                    }),
                }
            }
            ImportKind::Payments => {
                if let Some(p) = payment(c, &row) {
                    if dup(c, &row.at, "reference", p.reference.clone()) {
                        batch.payments.push(Located {
                            at: row.at,
                            value: p,
                        });
                    }
                }
            }
            ImportKind::Usage => {
                if let Some(u) = usage(c, &row) {
                    let key = format!("{}|{}|{}", u.account, u.day, u.kind.code());
                    if dup(c, &row.at, "day", key) {
                        batch.usage.push(Located {
                            at: row.at,
                            value: u,
                        });
                    }
                }
            }
        }
    }
}

fn finish(c: Checker, batch: ParsedBatch) -> Result<ParsedBatch, Vec<ImportIssue>> {
    let mut issues = c.issues;
    if issues.is_empty() && batch.is_empty() {
        issues.push(ImportIssue {
            at: None,
            field: None,
            problem: ImportProblem::Empty,
        });
    }
    match issues.is_empty() {
        true => Ok(batch),
        false => Err(issues),
    }
}

fn whole_file(problem: ImportProblem) -> Vec<ImportIssue> {
    vec![ImportIssue {
        at: None,
        field: None,
        problem,
    }]
}

/// Parses a CSV file of one kind (header row first; extra columns are ignored).
pub fn parse_csv(kind: ImportKind, text: &str) -> Result<ParsedBatch, Vec<ImportIssue>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            return Err(whole_file(ImportProblem::Syntax {
                detail: e.to_string(),
            }))
        }
    };
    let mut c = Checker::default();
    for col in columns(kind) {
        if !header.iter().any(|h| h == col) {
            c.push(
                Some(&RowRef::Line(1)),
                Some(col),
                ImportProblem::MissingColumn,
            );
        }
    }
    if !c.issues.is_empty() {
        return Err(c.issues);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let at = e.position().map(|p| RowRef::Line(p.line()));
                c.push(
                    at.as_ref(),
                    None,
                    ImportProblem::Syntax {
                        detail: e.to_string(),
                    },
                );
                continue;
            }
        };
        if rows.len() == MAX_ROWS {
            return Err(whole_file(ImportProblem::TooManyRows));
        }
        let line = record.position().map_or(0, |p| p.line());
        let values = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push(Fields {
            at: RowRef::Line(line),
            values,
        });
    }
    let mut batch = ParsedBatch::default();
    add_rows(&mut c, &mut batch, kind, rows);
    finish(c, batch)
}

fn json_fields(at: String, object: &serde_json::Map<String, serde_json::Value>) -> Fields {
    let values = object
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.trim().to_owned(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect();
    Fields {
        at: RowRef::Path(at),
        values,
    }
}

/// Parses a JSON document with any of the sections `accounts`, `bills` (with nested
/// `items`), `payments`, `usage`.
pub fn parse_json(text: &str) -> Result<ParsedBatch, Vec<ImportIssue>> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        whole_file(ImportProblem::Syntax {
            detail: e.to_string(),
        })
    })?;
    let Some(sections) = doc.as_object() else {
        return Err(whole_file(ImportProblem::Syntax {
            detail: "the document must be an object of sections".into(),
        }));
    };
    let mut c = Checker::default();
    let mut batch = ParsedBatch::default();
    let mut total = 0usize;
    for (name, value) in sections {
        let Some(kind) = ImportKind::from_code(name) else {
            c.push(
                Some(&RowRef::Path(name.clone())),
                None,
                ImportProblem::UnknownSection,
            );
            continue;
        };
        let Some(list) = value.as_array() else {
            c.push(
                Some(&RowRef::Path(name.clone())),
                None,
                ImportProblem::Syntax {
                    detail: "a section must be an array".into(),
                },
            );
            continue;
        };
        let mut rows = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let at = format!("{name}[{i}]");
            let Some(object) = v.as_object() else {
                c.push(
                    Some(&RowRef::Path(at)),
                    None,
                    ImportProblem::Syntax {
                        detail: "a record must be an object".into(),
                    },
                );
                continue;
            };
            if kind != ImportKind::Bills {
                rows.push(json_fields(at, object));
                continue;
            }
            // A JSON bill: its header once, then its items.
            let head_fields = json_fields(at.clone(), object);
            let head = bill_head(&mut c, &head_fields);
            let items = object.get("items").and_then(|i| i.as_array());
            let Some(items) = items.filter(|i| !i.is_empty()) else {
                c.push(Some(&head_fields.at), Some("items"), ImportProblem::Missing);
                continue;
            };
            let mut parsed = Vec::new();
            for (j, item) in items.iter().enumerate() {
                let item_at = format!("{at}.items[{j}]");
                let fields = match item.as_object() {
                    Some(o) => json_fields(item_at, o),
                    None => Fields {
                        at: RowRef::Path(item_at),
                        values: BTreeMap::new(),
                    },
                };
                parsed.push(bill_item(&mut c, &fields, "name"));
            }
            total += parsed.len();
            let (Some((account, period, due_on)), Some(items)) =
                (head, parsed.into_iter().collect::<Option<Vec<_>>>())
            else {
                continue;
            };
            if batch
                .bills
                .iter()
                .any(|b| b.value.account == account && b.value.period == period)
            {
                c.push(
                    Some(&head_fields.at),
                    Some("period"),
                    ImportProblem::Duplicate,
                );
                continue;
            }
            batch.bills.push(Located {
                at: head_fields.at,
                value: Bill {
                    account,
                    period,
                    due_on,
                    items,
                },
            });
        }
        total += rows.len();
        if total > MAX_ROWS {
            return Err(whole_file(ImportProblem::TooManyRows));
        }
        if kind != ImportKind::Bills {
            add_rows(&mut c, &mut batch, kind, rows);
        }
    }
    finish(c, batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(r: Result<ParsedBatch, Vec<ImportIssue>>) -> Vec<(String, String, ImportProblem)> {
        r.unwrap_err()
            .into_iter()
            .map(|i| {
                (
                    i.at.map(|a| a.to_string()).unwrap_or_default(),
                    i.field.unwrap_or_default(),
                    i.problem,
                )
            })
            .collect()
    }

    #[test]
    fn a_valid_csv_of_each_kind_parses() {
        let accounts = "number,customer_phone,plan,status,balance_fen,credit_limit_fen\n\
                        A100,138 0000 0001,畅享 129,active,-1500,5000\n\
                        A101,+86 139-0000-0002,乐享 59,suspended,0,\n";
        let b = parse_csv(ImportKind::Accounts, accounts).unwrap();
        assert_eq!(b.accounts.len(), 2);
        assert_eq!(b.accounts[0].value.customer_phone, "13800000001");
        assert_eq!(b.accounts[0].value.balance, Fen(-1500));
        assert_eq!(b.accounts[1].value.credit_limit, Fen(0));
        assert_eq!(b.accounts[1].at, RowRef::Line(3));

        let bills = "account,period,due_on,item,amount_fen\n\
                     A100,2026-10,2026-11-15,月基本费,12900\n\
                     A100,2026-10,2026-11-15,优惠,-1000\n\
                     A100,2026-09,2026-10-15,月基本费,12900\n";
        let b = parse_csv(ImportKind::Bills, bills).unwrap();
        assert_eq!(b.bills.len(), 2);
        assert_eq!(b.bills[0].value.items.len(), 2);
        assert_eq!(b.bills[0].value.total(), Fen(11900));

        let payments = "reference,account,paid_at,amount_fen,method\n\
                        P1,A100,2026-11-02 10:30,5000,wechat\n\
                        P2,A100,2026-11-03T02:00:00Z,100,cash\n";
        let b = parse_csv(ImportKind::Payments, payments).unwrap();
        assert_eq!(
            b.payments[0].value.paid_at,
            "2026-11-02T02:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );

        let usage = "account,day,kind,quantity,charge_fen\nA100,2026-11-01,data,2048,300\n";
        let b = parse_csv(ImportKind::Usage, usage).unwrap();
        assert_eq!(b.usage[0].value.quantity, 2048);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_field_and_reason() {
        let text = "number,customer_phone,plan,status,balance_fen\n\
                    A1,13800000001,P,active,10\n\
                    A 2,12,P,frozen,1.5\n\
                    ,13800000001,,active,0\n\
                    A1,13800000001,P,active,10\n";
        let p = problems(parse_csv(ImportKind::Accounts, text));
        let line = |n: &str, f: &str| p.iter().find(|x| x.0 == n && x.1 == f).map(|x| &x.2);
        assert_eq!(
            line("line 3", "number"),
            Some(&ImportProblem::BadText { max: 32 })
        );
        assert_eq!(
            line("line 3", "customer_phone"),
            Some(&ImportProblem::NotPhone)
        );
        assert!(
            matches!(line("line 3", "status"), Some(ImportProblem::NotOneOf { allowed }) if allowed.len() == 3)
        );
        assert_eq!(
            line("line 3", "balance_fen"),
            Some(&ImportProblem::NotInteger)
        );
        assert_eq!(line("line 4", "number"), Some(&ImportProblem::Missing));
        assert_eq!(line("line 4", "plan"), Some(&ImportProblem::Missing));
        assert_eq!(line("line 5", "number"), Some(&ImportProblem::Duplicate));
        assert_eq!(p.len(), 7, "{p:?}");
    }

    #[test]
    fn missing_columns_empty_files_and_broken_csv_are_refused() {
        let p = problems(parse_csv(
            ImportKind::Payments,
            "reference,account\nP1,A1\n",
        ));
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(|x| x.2 == ImportProblem::MissingColumn));
        let p = problems(parse_csv(ImportKind::Usage, "account,day,kind,quantity\n"));
        assert_eq!(
            p,
            vec![(String::new(), String::new(), ImportProblem::Empty)]
        );
        let p = problems(parse_csv(
            ImportKind::Usage,
            "account,day,kind,quantity\nA1,2026-11-01,data\n",
        ));
        assert!(matches!(&p[0].2, ImportProblem::Syntax { .. }), "{p:?}");
        assert_eq!(p[0].0, "line 2");
    }

    #[test]
    fn payments_and_usage_values_are_checked() {
        let text = "reference,account,paid_at,amount_fen,method\n\
                    P1,A1,yesterday,0,card\n";
        let p = problems(parse_csv(ImportKind::Payments, text));
        let fields: Vec<_> = p.iter().map(|x| (x.1.as_str(), &x.2)).collect();
        assert!(fields.contains(&("paid_at", &ImportProblem::NotTime)));
        assert!(fields.contains(&("amount_fen", &ImportProblem::NotPositive)));
        assert!(fields.iter().any(|f| f.0 == "method"));
        let text = "account,day,kind,quantity\nA1,2026-02-30,data,-1\nA1,2026-11-01,sms,1\nA1,2026-11-01,sms,2\n";
        let p = problems(parse_csv(ImportKind::Usage, text));
        assert_eq!(
            p,
            vec![
                ("line 2".into(), "day".into(), ImportProblem::NotDate),
                ("line 2".into(), "quantity".into(), ImportProblem::Negative),
                ("line 4".into(), "day".into(), ImportProblem::Duplicate),
            ]
        );
    }

    #[test]
    fn bill_rows_must_agree_on_the_due_date() {
        let text = "account,period,due_on,item,amount_fen\n\
                    A1,2026-10,2026-11-15,a,1\nA1,2026-10,2026-11-16,b,1\nA1,2026-13,2026-11-16,b,1\n";
        let p = problems(parse_csv(ImportKind::Bills, text));
        assert_eq!(
            p,
            vec![
                (
                    "line 3".into(),
                    "due_on".into(),
                    ImportProblem::Inconsistent
                ),
                ("line 4".into(), "period".into(), ImportProblem::NotMonth),
            ]
        );
    }

    #[test]
    fn json_documents_carry_every_kind_and_name_paths() {
        let ok = r#"{
          "accounts": [{"number": "A1", "customer_phone": "13800000001", "plan": "P",
                        "status": "active", "balance_fen": -100}],
          "bills": [{"account": "A1", "period": "2026-10", "due_on": "2026-11-15",
                     "items": [{"name": "月基本费", "amount_fen": 12900}]}],
          "payments": [{"reference": "P1", "account": "A1", "paid_at": "2026-11-01 09:00",
                        "amount_fen": 100, "method": "alipay"}],
          "usage": [{"account": "A1", "day": "2026-11-01", "kind": "voice", "quantity": 12}]
        }"#;
        let b = parse_json(ok).unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!(b.referenced_accounts().len(), 3);

        let bad = r#"{
          "bills": [{"account": "A1", "period": "2026-10", "due_on": "2026-11-15",
                     "items": [{"name": "x", "amount_fen": "12.5"}, 7]},
                    {"account": "A1", "period": "2026-11", "due_on": "2026-12-15", "items": []}],
          "refunds": []
        }"#;
        let p = problems(parse_json(bad));
        assert_eq!(
            p,
            vec![
                (
                    "bills[0].items[0]".into(),
                    "amount_fen".into(),
                    ImportProblem::NotInteger
                ),
                (
                    "bills[0].items[1]".into(),
                    "name".into(),
                    ImportProblem::Missing
                ),
                (
                    "bills[0].items[1]".into(),
                    "amount_fen".into(),
                    ImportProblem::Missing
                ),
                ("bills[1]".into(), "items".into(), ImportProblem::Missing),
                (
                    "refunds".into(),
                    String::new(),
                    ImportProblem::UnknownSection
                ),
            ]
        );
        assert!(matches!(
            &problems(parse_json("[1,2"))[0].2,
            ImportProblem::Syntax { .. }
        ));
        assert_eq!(problems(parse_json("{}"))[0].2, ImportProblem::Empty);
    }
}
