//! Strings of the knowledge screens (search, articles and their editor, categories,
//! synonyms, zero-result queries, SOP flows and runs, the answer bot) in both languages,
//! the names of the knowledge enumerations, and the localized reasons knowledge actions
//! are refused. A string missing in one language fails to compile.

use loopdesk::flow::{FlowError, RunError};
use loopdesk::kb::bot::BotError;
use loopdesk::kb::search::{DocKind, SynonymError};
use loopdesk::kb::{ArticleError, ArticleStatus, Audience};
use loopdesk::locale::Locale;

use super::names::names;

names!(
    /// Article status.
    article_status(ArticleStatus) {
        Draft => ("草稿", "Draft"),
        InReview => ("待审核", "In review"),
        Published => ("已发布", "Published"),
        Archived => ("已归档", "Archived"),
    }
);

names!(
    /// Audience.
    audience(Audience) {
        Internal => ("内部", "Internal"),
        Public => ("公开", "Public"),
    }
);

names!(
    /// Search document kind.
    doc_kind(DocKind) {
        Article => ("知识", "Article"),
        Flow => ("流程", "Flow"),
    }
);

/// Why an article action was refused.
pub fn article_error(e: &ArticleError, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    match (e, zh) {
        (ArticleError::NotInStatus(s), true) => {
            format!("文章当前为“{}”，不能这样操作", article_status(*s, locale))
        }
        (ArticleError::NotInStatus(s), false) => format!(
            "Not possible while the article is {}",
            article_status(*s, locale).to_lowercase()
        ),
        (ArticleError::OwnReview, true) => "不能审核发布自己编写的版本，请由其他编辑发布".into(),
        (ArticleError::OwnReview, false) => {
            "You cannot publish your own version; another editor must review it".into()
        }
        (ArticleError::NotEditor, true) => "只有班长和管理员可以审核、发布和归档".into(),
        (ArticleError::NotEditor, false) => {
            "Only supervisors and administrators review, publish and archive".into()
        }
        (ArticleError::Invalid { field }, _) => {
            let name = super::names::field_name(field, locale);
            let rule = match (*field, zh) {
                ("title", true) => "须为 1–120 个字符",
                ("title", false) => "must have 1–120 characters",
                ("body", true) => "须为 1–50000 个字符",
                ("body", false) => "must have 1–50 000 characters",
                ("category", true) => "必须选择",
                ("category", false) => "is required",
                ("en", true) => "英文标题和正文须同时填写或同时留空",
                ("en", false) => "needs both title and body, or neither",
                (_, true) => "最多 20 项，每项最多 120 个字符",
                (_, false) => "takes at most 20 entries of at most 120 characters",
            };
            match zh {
                true => format!("{name}{rule}"),
                false => format!("The {name} {rule}"),
            }
        }
    }
}

/// Why a flow cannot be published: every problem, one per line.
pub fn flow_errors(problems: &[FlowError], locale: Locale) -> String {
    let lines: Vec<String> = problems.iter().map(|p| flow_error(p, locale)).collect();
    match locale {
        Locale::ZhCn => format!("流程定义有 {} 处问题：\n{}", lines.len(), lines.join("\n")),
        Locale::En => format!(
            "The flow definition has {} problem(s):\n{}",
            lines.len(),
            lines.join("\n")
        ),
    }
}

/// One flow definition problem.
pub fn flow_error(e: &FlowError, locale: Locale) -> String {
    if locale == Locale::En {
        return e.to_string();
    }
    match e {
        FlowError::StartCount { found } => format!("必须有且只有一个开始节点（现有 {found} 个）"),
        FlowError::DuplicateNode(n) => format!("节点编号 {n} 重复"),
        FlowError::DuplicateField(f) => format!("字段 {f} 重复定义"),
        FlowError::UnknownNode(n) => format!("连线指向不存在的节点 {n}"),
        FlowError::NeedsOneNext(n) => format!("节点 {n} 必须有且只有一条出线"),
        FlowError::GatewayDefault(n) => format!("网关 {n} 必须有且只有一条默认分支"),
        FlowError::GatewayConditions(n) => format!("网关 {n} 至少需要一条带条件的分支"),
        FlowError::UnknownField { node, field } => {
            format!("网关 {node} 的条件使用了未定义的字段 {field}")
        }
        FlowError::ConditionOutsideGateway(n) => format!("只有网关的出线可以带条件（{n}）"),
        FlowError::EndWithEdges(n) => format!("结束节点 {n} 不能有出线"),
        FlowError::Unreachable(n) => format!("从开始节点无法到达节点 {n}"),
        FlowError::DeadEnd(n) => format!("节点 {n} 无法到达任何结束节点"),
        FlowError::Incomplete(n) => format!("{n} 不完整（缺少编号、标题或选项）"),
    }
}

/// Why a flow step was refused (`label` names the field in the reader's language).
pub fn run_error(e: &RunError, locale: Locale) -> String {
    match (e, locale) {
        (RunError::Finished, Locale::ZhCn) => "流程已结束".into(),
        (RunError::AtFirstStep, Locale::ZhCn) => "已在第一步，无法回退".into(),
        (RunError::Required(f), Locale::ZhCn) => format!("{f} 必须填写"),
        (RunError::NotNumber(f), Locale::ZhCn) => format!("{f} 必须是数字"),
        (RunError::NotOption(f), Locale::ZhCn) => format!("{f} 必须从选项中选择"),
        (RunError::NotDate(f), Locale::ZhCn) => format!("{f} 必须是日期（YYYY-MM-DD）"),
        (RunError::Broken, Locale::ZhCn) => "流程定义有误，请联系管理员".into(),
        (e, Locale::En) => {
            let s = e.to_string();
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

/// Why the bot refused a turn.
pub fn bot_error(e: BotError, locale: Locale) -> String {
    match (e, locale) {
        (BotError::Closed, Locale::ZhCn) => "本次对话已结束，请开始新的对话".into(),
        (BotError::Question, Locale::ZhCn) => "请输入 1–500 个字的问题".into(),
        (BotError::TooLong, Locale::ZhCn) => "本次对话问题过多，请转人工处理".into(),
        (BotError::NotOffered, Locale::ZhCn) => "请从推荐的答案中选择".into(),
        (BotError::NothingToRate, Locale::ZhCn) => "还没有可以评价的答案".into(),
        (BotError::Closed, Locale::En) => "This conversation is over; start a new one".into(),
        (BotError::Question, Locale::En) => "Ask a question of 1–500 characters".into(),
        (BotError::TooLong, Locale::En) => {
            "Too many questions in one conversation; hand over to an agent".into()
        }
        (BotError::NotOffered, Locale::En) => "Choose one of the suggested answers".into(),
        (BotError::NothingToRate, Locale::En) => "There is no answer to rate yet".into(),
    }
}

/// Why a synonym group was refused (after the field name).
pub fn synonym_error(e: SynonymError, locale: Locale) -> String {
    match (e, locale) {
        (SynonymError::Count, Locale::ZhCn) => "须包含 2–10 个不同的词".into(),
        (SynonymError::Word, Locale::ZhCn) => "每个词 1–20 个字符".into(),
        (SynonymError::Count, Locale::En) => "needs 2–10 different words".into(),
        (SynonymError::Word, Locale::En) => "takes words of 1–20 characters".into(),
    }
}
